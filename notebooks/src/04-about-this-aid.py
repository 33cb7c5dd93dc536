# %% [markdown]
# # About this aid
#
# > **Please read first.** kypho-aid gives general facts to help you talk with your care
# > team. It is not medical advice and it does not tell you what to choose.

# %% [markdown]
# ## Overview
#
# 1. Who made it, who paid, and competing interests
# 2. How the evidence was found, selected and graded
# 3. Content version and update policy
# 4. How readable it is
# 5. How it measures up to the International Patient Decision Aid Standards
# 6. Limitations, and how to report an error
#
# ## Prerequisites
#
# | Concepts | Importance | Notes |
# | --- | --- | --- |
# | [00 Index](00-index.ipynb) | Helpful | What the suite is |
# | [03 The evidence](03-the-evidence.ipynb) | Helpful | The studies behind the figures |
#
# **Time to read:** about ten minutes.

# %% [markdown]
# ## Imports

# %%
import pandas as pd

import kypho_aid
from kypho_aid import readability
from kypho_aid.readability import readability_report

# %% [markdown]
# ## Who made it, who paid, and competing interests

# %%
pd.set_option("display.max_colwidth", None)
about = kypho_aid.load_dataset("about").iloc[0]
for heading, field in [
    ("Who made it", "developers"),
    ("Who paid", "funding"),
    ("Competing interests", "competing_interests"),
]:
    print(f"{heading}: {' '.join(about[field].split())}")

# %% [markdown]
# ## How the evidence was found, selected and graded

# %%
print(" ".join(about["evidence_methods"].split()))

# %% [markdown]
# How the figures in the evidence file spread over study designs and certainty levels:

# %%
outcomes = kypho_aid.load_dataset("outcomes")
pd.crosstab(outcomes["design"], outcomes["certainty"])

# %% [markdown]
# ## Content version and update policy

# %%
info = kypho_aid.content_info()
print(
    f"Content version {info.version}, last reviewed {info.reviewed_on.isoformat()}, next review due by {info.next_review_due.isoformat()}."
)
print(info.update_policy)

# %% [markdown]
# ## How readable it is
#
# Every patient-facing text is scored with two named formulas, SMOG and Flesch–Kincaid
# grade, against the target printed below. Texts written for clinicians are labelled and
# not held to that target.

# %%
print(f"Target: SMOG grade {readability.GRADE_LIMIT:g} or lower for every patient-facing text.")
report = readability_report()
report[["source", "audience", "sentences", "smog", "fk_grade"]].round(1)

# %% [markdown]
# ## How it measures up to the standards
#
# A self-assessment against the IPDAS version four minimum standards: qualifying,
# certifying and quality criteria, each met, partly met, not met or not applicable, with
# where in the product it is met.

# %%
ipdas = kypho_aid.load_dataset("ipdas")
ipdas.groupby(["tier", "status"], observed=True).size().unstack(fill_value=0)

# %%
ipdas[["criterion_id", "criterion", "status", "where", "note"]]

# %% [markdown]
# ## Limitations, and how to report an error

# %%
print(" ".join(about["limitations"].split()))
print()
print(" ".join(about["report_an_error"].split()))

# %% [markdown]
# ## Summary
#
# kypho-aid is an unfunded open-source draft with no competing interests. Its facts are
# cited and its figures graded by written rules; it has not yet been reviewed or tested
# with patients and clinicians, and the self-assessment says so.
#
# ### What's next?
#
# Back to the [index](00-index.ipynb).
#
# ## Sources
#
# The standards are summarised in the project's reference on decision-aid standards; the
# facts' sources are listed in the other notebooks. The whole bibliography:

# %%
kypho_aid.bibliography(kypho_aid.load_dataset("sources")["source_id"])[
    ["number", "citation"]
].set_index("number")

# %%
print(info.footer)
