# %% [markdown]
# # The evidence
#
# > **Please read first.** This page is for people who want to check the numbers. It shows
# > general evidence, not medical advice, and it does not tell you which option to choose.

# %% [markdown]
# ## Overview
#
# 1. The studies behind the numbers
# 2. How each figure was worked out
# 3. Sham-controlled and unblinded trials
# 4. What is uncertain or disputed
# 5. Every source
#
# ## Prerequisites
#
# | Concepts | Importance | Notes |
# | --- | --- | --- |
# | [Risks and benefits](02-risks-and-benefits.ipynb) | Necessary | The figures this page explains |
# | Trials and reviews | Helpful | See the glossary dataset |
#
# **Time to read:** about twenty minutes.

# %% [markdown]
# ## Imports

# %%
import pandas as pd

import kypho_aid

# %% [markdown]
# ## The studies behind the numbers
#
# Each study cited by a finding, with its design, its size where the evidence gives it, and
# caveats such as funding by a device maker or a figure read from a third-party summary.

# %%
pd.set_option("display.max_colwidth", None)
studies = kypho_aid.study_table()
studies[["source_id", "design", "sham_controlled", "patients", "certainty", "funding", "notes"]]

# %% [markdown]
# ## The summary of findings
#
# As in a GRADE summary-of-findings table: one row per comparison, outcome, study and time,
# with both groups' figures, the design, the number of studies and people, the certainty and
# the reasons it was rated down (risk of bias, inconsistency, indirectness, imprecision,
# publication bias). Within each outcome the least biased evidence comes first.

# %%
summary = kypho_aid.summary_of_findings()
summary[
    [
        "outcome_label",
        "comparison_label",
        "figure",
        "timepoint",
        "design",
        "studies",
        "participants",
        "certainty",
        "downgrades",
        "funding",
    ]
]

# %% [markdown]
# ## How each figure was worked out
#
# Every finding names the evidence rows it comes from (ids of the evidence file) and the
# arithmetic, so anyone can check it. Findings from a source the project read itself quote
# its figures in the derivation.

# %%
summary[["finding_id", "outcome_label", "comparison_label", "derivation", "evidence_ids"]]

# %% [markdown]
# ## Where an option has no finding
#
# Why an outcome has no figure for an option: it cannot happen with that option, or our
# sources give none.

# %%
kypho_aid.load_dataset("outcome_gaps")[["outcome", "option_id", "reason", "note", "derivation"]]

# %% [markdown]
# The evidence rows themselves, exactly as recorded from the sources:

# %%
outcomes = kypho_aid.load_dataset("outcomes")
used = summary["evidence_ids"].dropna().str.split(";").explode().unique()
outcomes.set_index("outcome_id").loc[
    used,
    [
        "measure",
        "value",
        "value_text",
        "low",
        "high",
        "unit",
        "timepoint",
        "population",
        "source_ids",
    ],
]

# %% [markdown]
# ## Sham-controlled and unblinded trials
#
# In a sham-controlled trial some people have a fake procedure, so nobody knows who had the
# real one. Pain is rated by the person, so this matters. All sham-controlled trials found
# were of vertebroplasty; kyphoplasty was tested only against care without a procedure, in
# trials where people knew which care they got.

# %%
trials = outcomes[outcomes["design"].isin(["sham_controlled_rct", "unblinded_rct"])]
trials.groupby(["design", "arm"], observed=True).size().rename("figures").to_frame()

# %% [markdown]
# ## What is uncertain or disputed
#
# The ratings of the evidence itself, and the studies of deaths after each choice, which
# only looked back at records and may show who was chosen for a procedure rather than what
# the procedure did:

# %%
disputed = outcomes[outcomes["topic"].isin(["evidence_certainty", "mortality"])]
disputed[
    [
        "outcome_id",
        "measure",
        "value",
        "value_text",
        "unit",
        "design",
        "certainty",
        "certainty_basis",
    ]
]

# %% [markdown]
# ## Summary
#
# The figures rest on a mix of sham-controlled trials (vertebroplasty only), unblinded
# trials, reviews and record studies. Where the evidence is weak the figures say so, and
# the studies of deaths are shown as what they are: associations, not effects.
#
# ### What's next?
#
# Back to the [index](00-index.ipynb).
#
# ## Sources
#
# Every source in the knowledge base, numbered:

# %%
kypho_aid.bibliography(kypho_aid.load_dataset("sources")["source_id"])[
    ["number", "citation"]
].set_index("number")

# %%
print(kypho_aid.content_info().footer)
