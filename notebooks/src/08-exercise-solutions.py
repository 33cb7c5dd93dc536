# %% [markdown]
# # Exercise solutions
#
# > **Please read first.** These worked answers use general facts from kypho-aid to practise
# > reading evidence. They are not medical advice and they do not tell anyone which option
# > to choose.

# %% [markdown]
# ## Overview
#
# One worked answer for each of the [exercises](07-exercises.ipynb), using only the
# library's public functions. Every answer is checked, so each check below prints **Right**.
#
# 1. A difference out of 100
# 2. Find the source
# 3. Build a comparison
# 4. Why a sham matters
# 5. How sure can we be?
#
# ## Prerequisites
#
# | Concepts | Importance | Notes |
# | --- | --- | --- |
# | [Exercises](07-exercises.ipynb) | Necessary | Try them first |
# | pandas DataFrames | Helpful | Picking rows with `.loc` and columns by name |
#
# **Time to read:** about fifteen minutes.

# %% [markdown]
# ## Imports

# %%
import pandas as pd

import kypho_aid
from kypho_aid import exercises
from kypho_aid.findings import expected_certainty, summary_of_findings
from kypho_aid.outcomes import design_words

# %% [markdown]
# ## A difference out of 100

# %%
pd.set_option("display.max_colwidth", None)
difference = exercises.difference_question()
print(difference)

# %% [markdown]
# The two figures are the two groups of one finding: same study, same time, same measure.
# Both count people out of the same number, so their difference does too. Take the second
# group's figure from the first's; a negative result means fewer people in the first group.

# %%
findings = summary_of_findings().set_index("finding_id")
(finding_id,) = difference.ids
row = findings.loc[finding_id]
answer = row["intervention_per"] - row["comparator_per"]
print(exercises.check_difference(answer))

# %% [markdown]
# ## Find the source

# %%
source = exercises.source_question()
print(source)

# %% [markdown]
# The finding holds the source id and the locator side by side:

# %%
(row_id,) = source.ids
row = findings.loc[row_id]
answer = (row["source_ids"], row["locators"])
print(exercises.check_source(answer))

# %% [markdown]
# The bibliography gives the full reference for that id:

# %%
kypho_aid.bibliography(row["source_ids"].split(";"))[["source_id", "citation"]]

# %% [markdown]
# ## Build a comparison

# %%
comparison = exercises.comparison_question()
print(comparison)

# %% [markdown]
# Pass only the topics, and leave the options out so that all of them are shown:

# %%
answer = kypho_aid.compare(topics=list(comparison.ids))
print(exercises.check_comparison(answer))

# %%
answer.labelled()

# %% [markdown]
# ## Why a sham matters

# %%
sham = exercises.sham_question()
print(sham)

# %% [markdown]
# Pain is something each person rates. The two findings in the question, with their designs
# as the aid words them:

# %%
named = design_words()
for finding_id in sham.ids:
    design = str(findings.loc[finding_id, "design"])
    print(f"{finding_id}, {findings.loc[finding_id, 'comparison_label']}: {named[design]}")

# %% [markdown]
# Only in the first do people not know which procedure they had, so choice b is the reason.

# %%
answer = "b"
print(exercises.check_sham(answer))

# %% [markdown]
# ## How sure can we be?

# %%
certainty = exercises.certainty_question()
print(certainty)

# %% [markdown]
# The level is in the finding's `certainty` column and the reasons in its `downgrades`
# column, one entry per level taken off:

# %%
(finding_id,) = certainty.ids
row = findings.loc[finding_id]
reasons = str(row["downgrades"]).split(";") if pd.notna(row["downgrades"]) else []
answer = (str(row["certainty"]), reasons)
print(exercises.check_certainty(answer))

# %% [markdown]
# The GRADE steps, worked out: the design's starting level, less one level per reason.

# %%
start = expected_certainty(str(row["design"]), 0)
end = expected_certainty(str(row["design"]), len(reasons))
print(f"{row['design']}: starts at {start}; {len(reasons)} level(s) off gives {end}.")

# %% [markdown]
# ## Summary
#
# Each answer came from the knowledge base, not from memory: the two groups' figures of one
# finding, the source and its locator, the topics of the comparison, the findings against a
# sham and the certainty level with its reasons are all read from the summary of findings,
# so the answers stay right when the data are updated.
#
# ### What's next?
#
# Back to the [exercises](07-exercises.ipynb), or on to the [glossary](09-glossary.ipynb).
#
# ## Sources
#
# The sources behind the questions, numbered:

# %%
questions = [difference, source, comparison, sham, certainty]
kypho_aid.bibliography([s for q in questions for s in q.source_ids])[
    ["number", "citation"]
].set_index("number")

# %%
print(kypho_aid.content_info().footer)
