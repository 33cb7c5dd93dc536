# %% [markdown]
# # Risks and benefits
#
# > **Please read first.** These are general figures from studies, to help you talk with your
# > care team. They are not medical advice, they may not fit your own case, and this page does
# > not tell you which option to choose.

# %% [markdown]
# ## Overview
#
# 1. How to read the numbers
# 2. Every finding at a glance
# 3. Pain against a sham, new breaks, cement leaks and cement in the lungs, as pictures
# 4. Other harms, and bone height
# 5. Time and cost
# 6. Explore on your own
#
# ## Prerequisites
#
# | Concepts | Importance | Notes |
# | --- | --- | --- |
# | [Compare the options](01-compare-the-options.ipynb) | Helpful | What each option involves |
# | "Out of 100" | Necessary | How many people, out of every hundred like you |
#
# **Time to read:** about fifteen minutes.

# %% [markdown]
# ## Imports

# %%
# %matplotlib inline
import matplotlib.pyplot as plt
import pandas as pd

import kypho_aid
from kypho_aid.plotting import plot_outcome_comparison, plot_timeline, show_risk_view, theme
from kypho_aid.widgets import RiskExplorer

# %% [markdown]
# ## How to read the numbers
#
# - Every figure here comes from **one comparison**: the two groups of one trial (or one
#   pooled analysis), at one time, on one measure. Figures from different studies are never
#   set side by side.
# - The **fairest tests come first**: trials against a sham (fake) procedure, then trials
#   where people knew which care they got, then studies of records. Studies of records cannot
#   show that a treatment caused a result, and they are never drawn as pictures.
# - Each finding says **which group did better**, by how much, and whether the gap could be
#   due to chance.
# - Each finding says **how sure we can be** (high, moderate, low or very low), and the
#   table says why a finding was rated down.
# - In the pictures, each figure is a person. Coloured figures had the outcome; grey ones
#   did not. Both groups are out of the same number of people.

# %% [markdown]
# ## Every finding at a glance
#
# One row per comparison, outcome, study and time, fairest tests first within each outcome.

# %%
pd.set_option("display.max_colwidth", None)
findings = kypho_aid.summary_of_findings()
findings[
    [
        "outcome_label",
        "comparison_label",
        "figure",
        "timepoint",
        "design",
        "certainty",
        "downgrades",
    ]
]

# %% [markdown]
# ## Pain settling on its own
#
# Many people's pain settles with time. These figures come from groups with no comparison,
# so they are told in words.

# %%
print("\n\n".join(kypho_aid.outcome_sentences("natural_recovery")))

# %% [markdown]
# ## Pain relief against a sham procedure
#
# Only vertebroplasty has been tested against a sham (fake) procedure. Each line is one
# trial at one time: marks to the right mean less pain with vertebroplasty, marks to the
# left less pain with the sham. A line that crosses the middle means the gap could be due
# to chance.

# %%
pain = kypho_aid.chartable_gaps(["pain_relief_early", "pain_relief_later"], "vp_vs_sham")
with theme():
    plot_outcome_comparison(pain)
    plt.show()
print(kypho_aid.comparison_text(pain))

# %% [markdown]
# Every finding on pain and on everyday activities, fairest tests first, in words:

# %%
print(
    "\n\n".join(kypho_aid.outcome_sentences(["pain_relief_early", "pain_relief_later", "function"]))
)

# %% [markdown]
# ## A new break in the spine

# %%
show_risk_view("new_fracture")

# %% [markdown]
# ## Cement leaking out of the bone

# %%
show_risk_view("leakage_any")

# %% [markdown]
# ## Cement reaching the lungs
#
# A rare event, so the pictures count out of 1000 people.

# %%
show_risk_view("cement_embolism")

# %% [markdown]
# All findings on cement in the lungs, including scans of people after either procedure:

# %%
print("\n\n".join(kypho_aid.outcome_sentences("cement_embolism")))

# %% [markdown]
# ## Other harms, and bone height
#
# Leaks that cause problems, serious problems and the height of the broken bone, in words:

# %%
print(
    "\n\n".join(
        kypho_aid.outcome_sentences(
            ["leakage_symptomatic", "serious_complications", "height_correction"]
        )
    )
)

# %% [markdown]
# ## Time and cost
#
# The time a procedure takes, and the day around it:

# %%
show_risk_view("procedure_time")

# %%
items = kypho_aid.load_dataset("preparation_recovery")
kyphoplasty_day = items[items["applies_to"].str.contains("kyphoplasty")]
with theme():
    plot_timeline(kyphoplasty_day)
    plt.show()
print(kypho_aid.timeline_text(kyphoplasty_day))

# %% [markdown]
# What the sources say about cost, in words:

# %%
print("\n".join(kypho_aid.outcome_sentences("cost")))

# %% [markdown]
# ## Explore on your own
#
# Pick an outcome, the options, a comparison (the fairest test first, or one you name) and
# how to see them. The picture and the words change as you choose.

# %%
explorer = RiskExplorer(outcome="new_fracture")
explorer

# %% [markdown]
# The same explorer, switched to words for kyphoplasty and non-surgical care:

# %%
explorer.options.value = ("kyphoplasty", "non_surgical")
explorer.view.value = "words"
print(explorer.value.view, explorer.value.options)

# %% [markdown]
# ## Summary
#
# Each option has benefits and harms, and for many outcomes the evidence is uncertain.
# The numbers above are for groups of people in studies; your care team can say how they
# may apply to you.
#
# ### What's next?
#
# [The evidence](03-the-evidence.ipynb) shows the studies behind each number and how each
# figure was worked out.
#
# ## Sources

# %%
kypho_aid.bibliography(findings["source_ids"])[["number", "citation"]].set_index("number")

# %%
print(kypho_aid.content_info().footer)
