# %% [markdown]
# # The procedures, step by step
#
# > **Please read first.** These drawings are simple sketches to help you talk with your care
# > team about what happens. They are not medical advice, each hospital may do things a little
# > differently, and this page does not tell you which option to choose.

# %% [markdown]
# ## Overview
#
# Balloon kyphoplasty and vertebroplasty both put bone cement into the broken bone through a
# needle. They differ in one step: in kyphoplasty a small balloon first makes a space, so the
# cement goes in with a gentle push; in vertebroplasty the cement is pushed straight into the
# bone under higher pressure. Non-surgical care has no procedure at all.
#
# 1. How to read the drawings
# 2. Walk through the steps with a slider
# 3. Every step of balloon kyphoplasty
# 4. Every step of vertebroplasty
# 5. Non-surgical care
#
# ## Prerequisites
#
# | Concepts | Importance | Notes |
# | --- | --- | --- |
# | [Compare the options](01-compare-the-options.ipynb) | Helpful | What each option involves |
# | [Glossary](09-glossary.ipynb) | Helpful | Words such as *vertebra*, *fluoroscopy* and *cement* |
#
# **Time to read:** about ten minutes.

# %% [markdown]
# ## Imports

# %%
# %matplotlib inline
import matplotlib.pyplot as plt
import pandas as pd

import kypho_aid
from kypho_aid.plotting import plot_procedure_step, plot_procedure_strip, theme
from kypho_aid.procedure import drawing_text, first_step_with, procedure_steps
from kypho_aid.widgets import StepExplorer

# %% [markdown]
# ## How to read the drawings
#
# Each drawing is a side view of three bones of the spine. The front of the body is on the
# left and the back, with its skin, on the right. The middle bone is the broken one: it has
# sunk lower at the front and has cracks. The steps, their names and their order come from
# the knowledge base, each with its sources.

# %%
with theme():
    plot_procedure_step("kyphoplasty", 1)
    plt.show()
print(drawing_text("kyphoplasty", 1))

# %% [markdown]
# ## Walk through the steps with a slider
#
# Choose a procedure and move the slider. The drawing, the words and the sources change with
# each step.

# %%
explorer = StepExplorer(option="kyphoplasty")
explorer

# %% [markdown]
# The same explorer, moved to the step where the cement goes in for vertebroplasty:

# %%
explorer.option.value = "vertebroplasty"
explorer.step.value = first_step_with("vertebroplasty", "cement")
print(f"{explorer.value.option_label}, step {explorer.value.step}: {explorer.value.label}")
print(explorer.value.description)

# %% [markdown]
# ## Every step of balloon kyphoplasty
#
# The whole procedure on one page, for print.

# %%
with theme():
    plot_procedure_strip("kyphoplasty")
    plt.show()
print(drawing_text("kyphoplasty"))

# %% [markdown]
# What happens at each step, in words:

# %%
pd.set_option("display.max_colwidth", None)
kyphoplasty = procedure_steps("kyphoplasty")
kyphoplasty[["step_number", "label", "description"]].set_index("step_number")

# %% [markdown]
# ## Every step of vertebroplasty

# %%
with theme():
    plot_procedure_strip("vertebroplasty")
    plt.show()
print(drawing_text("vertebroplasty"))

# %%
vertebroplasty = procedure_steps("vertebroplasty")
vertebroplasty[["step_number", "label", "description"]].set_index("step_number")

# %% [markdown]
# ## Non-surgical care
#
# Care without a procedure has no needle and no cement, so there is nothing to draw. What it
# involves, from the knowledge base:

# %%
steps = kypho_aid.load_dataset("steps")
non_surgical = steps[steps["option_id"] == "non_surgical"]
non_surgical[["step_number", "label", "description"]].set_index("step_number")

# %% [markdown]
# ## Summary
#
# Both procedures bring a hollow needle into the broken bone under live X-ray and leave bone
# cement there to set hard. Only kyphoplasty uses a balloon to make a space first, which lets
# the cement go in with less push. Non-surgical care uses medicine, rest and a brace instead.
# How the options compare on benefits and harms is in
# [Risks and benefits](02-risks-and-benefits.ipynb).
#
# ### What's next?
#
# [Risks and benefits](02-risks-and-benefits.ipynb) shows what studies found for each option.
#
# ## Sources

# %%
kypho_aid.bibliography(steps["source_ids"])[["number", "citation"]].set_index("number")

# %%
print(kypho_aid.content_info().footer)
