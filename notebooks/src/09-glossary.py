# %% [markdown]
# # Glossary
#
# > **Please read first.** These are plain-language meanings of words used in kypho-aid, to
# > help you talk with your care team. They are not medical advice and this page does not
# > tell you which option to choose.

# %% [markdown]
# ## Overview
#
# 1. The words, from A to Z
# 2. Where each word is found in its sources
#
# ## Prerequisites
#
# | Concepts | Importance | Notes |
# | --- | --- | --- |
# | None | | This page stands on its own |
#
# **Time to read:** as long as you like; look words up as you need them.

# %% [markdown]
# ## Imports

# %%
import pandas as pd

import kypho_aid

# %% [markdown]
# ## The words, from A to Z
#
# Each word, other names for it, what it means, and the numbers of its sources in the list
# at the end of the page.

# %%
pd.set_option("display.max_colwidth", None)
pd.set_option("display.max_rows", None)
glossary = kypho_aid.load_dataset("glossary")
glossary = glossary.sort_values("term", key=lambda terms: terms.str.casefold(), ignore_index=True)
sources = kypho_aid.bibliography(glossary["source_ids"])
numbers = dict(zip(sources["source_id"], sources["number"].astype(str), strict=True))
glossary["sources"] = [
    ", ".join(numbers[s] for s in ids.split(";")) for ids in glossary["source_ids"]
]
glossary[["term", "also_called", "definition", "sources"]].fillna("").rename(
    columns={
        "term": "Word",
        "also_called": "Also called",
        "definition": "Meaning",
        "sources": "Sources",
    }
).set_index("Word")

# %% [markdown]
# ## Where each word is found in its sources
#
# Each source number with the place in that source where the word is used or explained.

# %%
places = glossary.assign(
    source=glossary["source_ids"].str.split(";"), where=glossary["locators"].str.split(";")
).explode(["source", "where"])
places.assign(source=places["source"].map(numbers))[["term", "source", "where"]].rename(
    columns={"term": "Word", "source": "Source", "where": "Where in the source"}
).set_index(["Word", "Source"])

# %% [markdown]
# ## Summary
#
# Every word in the glossary has a plain meaning and at least one source that uses or
# explains it. Ask your care team about any word that is still unclear.
#
# ### What's next?
#
# Back to the [index](00-index.ipynb), or practise with the [exercises](07-exercises.ipynb).
#
# ## Sources
#
# The sources of the glossary, numbered as in the tables above:

# %%
sources[["number", "citation"]].set_index("number")

# %%
print(kypho_aid.content_info().footer)
