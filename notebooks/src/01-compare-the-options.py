# %% [markdown]
# # Compare the options
#
# > **Please read first.** These are general facts from the sources listed at the end, to
# > help you talk with your care team. They are not medical advice, and this page does not
# > tell you which option to choose.

# %% [markdown]
# ## Overview
#
# 1. The three options
# 2. How they compare, side by side
# 3. One topic at a time
# 4. Where the facts come from
#
# ## Prerequisites
#
# | Concepts | Importance | Notes |
# | --- | --- | --- |
# | [00 Index](00-index.ipynb) | Helpful | What kypho-aid is |
# | Reading a table | Necessary | Each column is one option |
#
# **Time to read:** about ten minutes.

# %% [markdown]
# ## Imports

# %%
import pandas as pd

import kypho_aid

# %% [markdown]
# ## The three options
#
# Non-surgical care is always one of the options. Each summary cites its sources.

# %%
pd.set_option("display.max_colwidth", None)
options = kypho_aid.load_dataset("options")
options[["label", "also_called", "summary", "source_ids"]]

# %% [markdown]
# ## How the options compare
#
# One row per question, one column per option. The numbers in brackets point to the
# numbered sources under the table. Where two sources disagree, both are shown.

# %%
table = kypho_aid.compare()
table

# %% [markdown]
# ## One topic at a time
#
# `compare` takes the options and topics to show. Here is what happens after the
# procedure, for the two procedures only:

# %%
after = kypho_aid.compare(options=["kyphoplasty", "vertebroplasty"], topics="afterwards")
print(after.to_markdown())

# %% [markdown]
# The facts behind it are there as data, for your own analysis: one fact per row, with
# the numbers of the sources it cites.

# %%
after.facts[["attribute_id", "option_id", "value", "numbers"]]

# %% [markdown]
# ## Where the facts come from
#
# How many facts in the full table rest on each kind of source:

# %%
kinds = table.sources.set_index("source_id")["kind"]
cited_kinds = table.facts["source_ids"].str.split(";").explode().map(kinds)
cited_kinds.value_counts().rename_axis("kind of source").rename("facts citing it").to_frame()

# %% [markdown]
# ## Summary
#
# The table shows what each option involves, and where a fact does not apply (there is no
# balloon in care without a procedure) it says so and why. How well each option works,
# and its risks in numbers, are shown with their certainty in the notebooks that follow.
#
# ### What's next?
#
# Go back to the [index](00-index.ipynb) for the other notebooks.
#
# ## Sources
#
# The numbered sources of the comparison above:

# %%
table.sources[["number", "citation"]].set_index("number")

# %%
print(kypho_aid.content_info().footer)
