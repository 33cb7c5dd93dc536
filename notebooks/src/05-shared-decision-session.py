# ---
# jupyter:
#   title: "kypho-aid: shared decision session"
# ---

# %% [markdown]
# # The shared-decision session

# %% [markdown] tags=["hide-in-app"]
# > **Please read first.** This aid gives general facts to help you and your care team talk.
# > It is not medical advice and it does not tell you what to choose. What you enter stays on
# > this computer and is gone when you close the page, unless you save your summary.

# %% [markdown] tags=["hide-in-app"]
# ## Overview
#
# 1. The decision and the condition
# 2. The options side by side
# 3. Risks and benefits in numbers
# 4. Is it for me? A check against published rules
# 5. What matters to me, and which way I lean
# 6. Am I ready? The SURE test and a short knowledge check
# 7. My summary, to print or take home
#
# ## Prerequisites
#
# | Concepts | Importance | Notes |
# | --- | --- | --- |
# | [Compare the options](01-compare-the-options.ipynb) | Helpful | The facts behind step two |
# | [Risks and benefits](02-risks-and-benefits.ipynb) | Helpful | The numbers behind step three |
#
# **Time to use:** about twenty minutes with a clinician. Run it as an app with `make app`.

# %% [markdown] tags=["hide-in-app"]
# ## Imports

# %% tags=["hide-in-app"]
import kypho_aid
from kypho_aid.widgets import SessionApp

# %% [markdown] tags=["hide-in-app"]
# ## The session

# %%
app = SessionApp()
app

# %% [markdown] tags=["hide-in-app"]
# ## Summary
#
# The session walks from the condition to a summary the patient keeps. It never ranks the
# options: the values step shows how each option lines up with what the patient rated.
#
# ### What's next?
#
# [The index](00-index.ipynb) lists the other notebooks.
#
# ## Sources
#
# Every step shows its own numbered sources. The whole bibliography:

# %% tags=["hide-in-app"]
kypho_aid.bibliography(kypho_aid.load_dataset("sources")["source_id"])[
    ["number", "citation"]
].set_index("number")

# %% tags=["hide-in-app"]
print(kypho_aid.content_info().footer)
