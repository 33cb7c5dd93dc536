# %% [markdown]
# # Exercises
#
# > **Please read first.** These exercises use general facts from kypho-aid to practise
# > reading evidence. They are not medical advice and they do not tell anyone which option
# > to choose.

# %% [markdown]
# ## Overview
#
# Five short exercises. Each one prints its question; you write the answer in the cell below
# it, where it says `answer = None  # your turn`, and run that cell. The library checks the
# answer against the knowledge base and prints **Right** or **Not yet**, with what to look at.
#
# 1. A difference out of 100
# 2. Find the source
# 3. Build a comparison
# 4. Why a sham matters
# 5. How sure can we be?
#
# Every exercise works on the summary of findings: one row per comparison of two groups,
# from one study or one pooled analysis, at one time, on one measure. Each row is called a
# finding and has an id that starts with `SF`.
#
# Try each one before you look at the [exercise solutions](08-exercise-solutions.ipynb).
#
# ## Prerequisites
#
# | Concepts | Importance | Notes |
# | --- | --- | --- |
# | [Risks and benefits](02-risks-and-benefits.ipynb) | Necessary | Figures as "out of 100" |
# | [The evidence](03-the-evidence.ipynb) | Necessary | Where each figure comes from, and how sure we can be |
# | pandas DataFrames | Helpful | Picking rows with `.loc` and columns by name |
#
# **Time to do:** about thirty minutes.

# %% [markdown]
# ## Imports

# %%
import pandas as pd

import kypho_aid
from kypho_aid import exercises
from kypho_aid.findings import summary_of_findings
from kypho_aid.widgets import KnowledgeCheck

# %% [markdown]
# ## A difference out of 100
#
# A figure such as "out of 100" counts people. A finding gives one such figure for each of
# its two groups, from the same study, at the same time. Their difference says how many more
# or fewer people out of 100 had the outcome in one group than in the other. This is the
# absolute difference: it keeps the size of the risk in view, which a ratio hides. Only take
# a difference between the two groups of one finding: figures from different studies or
# times are not like with like.

# %%
pd.set_option("display.max_colwidth", None)
difference = exercises.difference_question()
print(difference)

# %% [markdown]
# The summary of findings, with the columns you need for this finding:

# %%
findings = summary_of_findings().set_index("finding_id")
columns = ["comparison_label", "intervention_per", "comparator_per", "denominator", "timepoint"]
findings.loc[list(difference.ids), columns]

# %%
answer = None  # your turn: one number, intervention_per minus comparator_per
print(exercises.check_difference(answer))

# %% [markdown]
# ## Find the source
#
# Every finding and fact in the aid names its source (`source_ids`) and where in that source
# it is (`locators`), one locator per source, in the same order. The `findings` table above
# holds both columns.

# %%
source = exercises.source_question()
print(source)

# %%
answer = None  # your turn: a pair, (source id, locator)
print(exercises.check_source(answer))

# %% [markdown]
# ## Build a comparison
#
# `kypho_aid.compare` lays the options side by side. It can show only some topics. A fair
# comparison keeps every option, including care without a procedure.

# %%
comparison = exercises.comparison_question()
print(comparison)

# %%
answer = None  # your turn: what kypho_aid.compare returns for these topics
print(exercises.check_comparison(answer))

# %% [markdown]
# ## Why a sham matters
#
# The design of a study changes what its figures can tell us. In a trial against a sham (fake)
# procedure, the people in the trial do not know which group they are in. The
# [evidence](03-the-evidence.ipynb) notebook has a section on these trials. The question
# shows two findings; look at their `design` column:

# %%
sham = exercises.sham_question()
print(sham)

# %%
findings.loc[list(sham.ids), ["comparison_label", "design", "figure", "timepoint"]]

# %%
answer = None  # your turn: one letter
print(exercises.check_sham(answer))

# %% [markdown]
# ## How sure can we be?
#
# Each finding carries a certainty level, rated the GRADE way. Evidence from trials where
# chance decided who got which care starts at high; other studies start at low. Each problem
# found takes off one level: risk of bias, inconsistency, indirectness, imprecision or
# publication bias. The `downgrades` column lists the problems, one entry per level taken off.

# %%
certainty = exercises.certainty_question()
print(certainty)

# %%
answer = None  # your turn: a pair, (certainty level, list of reasons)
print(exercises.check_certainty(answer))

# %% [markdown]
# ## Check what you know
#
# A short quiz in teach-back style: pick an answer to each question and the aid says
# whether it is right and why, with its sources. The same quiz closes the shared-decision
# session app, where a patient can say back what they have learned.

# %%
quiz = KnowledgeCheck()
quiz

# %% [markdown]
# What the quiz tells someone who picks vertebroplasty for the first question:

# %%
first = next(iter(quiz.questions))
quiz.questions[first].value = "Vertebroplasty"
result = kypho_aid.check_answer(first, quiz.questions[first].value)
verdict = "right" if result.correct else "not right"
print(f"That choice is {verdict}. The answer is {result.answer}. {result.explanation}")

# %% [markdown]
# ## Summary
#
# You practised turning the two groups of one finding into a difference out of 100, tracing
# a finding to its source, building a comparison that keeps every option, and reading what a
# sham-controlled trial and a certainty level, with its reasons, say about a finding.
#
# ### What's next?
#
# Compare your answers with the [exercise solutions](08-exercise-solutions.ipynb). The
# [glossary](09-glossary.ipynb) explains the words used here.
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
