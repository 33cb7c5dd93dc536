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
# 2. Every outcome at a glance
# 3. Pain, new breaks, cement leaks and cement in the lungs, as pictures
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
from kypho_aid.plotting import plot_outcome_comparison, plot_risk_view, plot_timeline, theme
from kypho_aid.widgets import RiskExplorer


def show_risk_view(outcome):
    """The outcome's picture, then its alt text and long description in words."""
    view = kypho_aid.risk_view(outcome)
    with theme():
        plot_risk_view(view)
        plt.show()
    print(view.text)


# %% [markdown]
# ## How to read the numbers
#
# - Each figure says how many people **out of 100** had the outcome (out of 1000 for rare
#   ones), at a stated time, in a stated group of people. The same group size is used for
#   every option, so the options can be compared.
# - Each figure also says how **certain** the evidence is. The words follow a common scale:
#   high certainty is stated plainly, moderate certainty uses *probably*, low certainty
#   uses *may*, and very low certainty says *we are very uncertain*.
# - **Sham-controlled** trials compared a procedure with a fake one, so people did not know
#   which they had. **Unblinded** trials did not hide it, and that can colour how people rate
#   their pain. Kyphoplasty has only been tested in unblinded trials.
# - In the pictures, filled figures are the best estimate, outlined figures show the rest of
#   the likely range, and grey figures are everyone else.

# %% [markdown]
# ## Every outcome at a glance

# %%
pd.set_option("display.max_colwidth", None)
summary = kypho_aid.summarize_outcomes()
summary[["label", "option_label", "figure", "timepoint", "certainty_label", "design"]]

# %% [markdown]
# ## Pain settling on its own
#
# Many people's pain settles with time, with or without a procedure.

# %%
show_risk_view("natural_recovery")

# %% [markdown]
# ## Pain relief
#
# Only vertebroplasty has been tested against a sham procedure. The chart shows how much
# more pain eased with vertebroplasty than with the sham, next to the smallest difference
# people notice.

# %%
pain = kypho_aid.summarize_outcomes(
    ["pain_relief_early", "pain_relief_later"], kind="mean_difference"
)
with theme():
    plot_outcome_comparison(pain)
    plt.show()
print(kypho_aid.comparison_text(pain))

# %% [markdown]
# Every figure on pain and on everyday activities, for all three options, in words:

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
# Pick an outcome, the options to compare and how to see them. The picture and the words
# change as you choose.

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
kypho_aid.bibliography(summary["source_ids"])[["number", "citation"]].set_index("number")

# %%
print(kypho_aid.content_info().footer)
