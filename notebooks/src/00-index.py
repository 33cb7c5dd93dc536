# %% [markdown]
# # kypho-aid: the index
#
# > **Please read first.** kypho-aid gives general facts to support a talk between a
# > patient and their care team. It is not medical advice and it never tells anyone which
# > option to choose. The disclaimer, the content version and its review date are printed
# > below, straight from the knowledge base.

# %% [markdown]
# ## Overview
#
# A person with a painful broken bone in the spine (a *vertebral compression fracture*)
# may be offered balloon kyphoplasty, vertebroplasty or care without a procedure. This
# suite of notebooks lays the three options side by side, with a source for every fact.
#
# 1. What kypho-aid is and who it is for
# 2. The notebooks in this suite
# 3. What is in the knowledge base
# 4. The content version, its review date and the disclaimer
#
# ## Prerequisites
#
# | Concepts | Importance | Notes |
# | --- | --- | --- |
# | Opening a notebook in JupyterLab | Helpful | `make lab` opens this page |
# | pandas DataFrames | Helpful | Tables here are DataFrames |
#
# **Time to read:** about five minutes.

# %% [markdown]
# ## Imports

# %%
import pandas as pd

import kypho_aid

# %% [markdown]
# ## What kypho-aid is and who it is for
#
# kypho-aid is a Python library of structured, cited facts and a set of notebooks built on
# it. Every fact lives in a table under `data/` and names its source: one of five patient
# information pages the project started from, or a trial, review or guideline.
#
# - **Clinicians** use it in a shared-decision session: the options side by side, the risks,
#   a check of who may be a candidate, and a summary to take home.
# - **Educators** present the material in class from these notebooks.
# - **Students** run the examples and exercises and check their answers.
#
# ## The notebooks in this suite
#
# | Notebook | Who it is for | What you will find |
# | --- | --- | --- |
# | [00 Index](00-index.ipynb) | Everyone | This page: what the suite is, the knowledge base, the disclaimer |
# | [01 Compare the options](01-compare-the-options.ipynb) | Everyone | The three options side by side, with numbered sources |
# | [02 Risks and benefits](02-risks-and-benefits.ipynb) | Everyone | Each outcome as pictures, numbers and words, with how certain it is |
# | [03 The evidence](03-the-evidence.ipynb) | Clinicians, educators, students | The studies behind each number and how each figure was worked out |
# | [04 About this aid](04-about-this-aid.ipynb) | Everyone | Who made it, who paid, how the evidence was handled, readability and the standards |
# | [05 The shared-decision session](05-shared-decision-session.ipynb) | Clinicians with a patient | The session app: compare, risks, is it for me, what matters, a summary to take home (`make app`) |
# | [06 The teaching deck](06-teaching-deck.ipynb) | Educators | Slides for class: the condition, the options, the drawings, the comparison, the risks, the evidence, questions (`make slides`) |
# | [07 Exercises](07-exercises.ipynb) | Students | Exercises with the library, each with a check that says what is right or wrong |
# | [08 Exercise solutions](08-exercise-solutions.ipynb) | Students, educators | Worked answers to every exercise, all checks passing |
# | [09 Glossary](09-glossary.ipynb) | Everyone | The words used in the aid, in plain language, with sources |
# | [10 The procedures, step by step](10-the-procedures-step-by-step.ipynb) | Everyone | Drawings of each step of both procedures, a step slider and a strip to print |
#
# All of them can also be read without Python as a static website (`make site`).

# %% [markdown]
# ## What is in the knowledge base
#
# Each table has a schema file beside it that describes every column. Here they are, with
# how many rows each holds:

# %%
pd.set_option("display.max_colwidth", None)
names = kypho_aid.list_datasets()
datasets = pd.DataFrame(
    {
        "dataset": names,
        "title": [kypho_aid.describe_dataset(n).attrs["title"] for n in names],
        "rows": [len(kypho_aid.load_dataset(n)) for n in names],
    }
)
datasets

# %% [markdown]
# The bibliography behind them, by kind of source:

# %%
kypho_aid.load_dataset("sources")["kind"].value_counts(sort=False).rename("sources").to_frame()

# %% [markdown]
# ## Content version, review date and disclaimer

# %%
info = kypho_aid.content_info()
print(f"Content version: {info.version}")
print(f"Last reviewed:   {info.reviewed_on.isoformat()}")
print(f"Next review due: {info.next_review_due.isoformat()}")
print()
print(info.update_policy)
print()
print(info.disclaimer)

# %% [markdown]
# ## Summary
#
# kypho-aid keeps its facts in checked, cited tables and shows them through these
# notebooks. Nothing here is advice: it is material for a conversation.
#
# ### What's next?
#
# Open [01 Compare the options](01-compare-the-options.ipynb) to see the three options side
# by side.
#
# ## Sources
#
# The full bibliography is the `sources` dataset, shown in
# [Compare the options](01-compare-the-options.ipynb) with the facts that cite it. Check any fact against its source before you rely on it.
