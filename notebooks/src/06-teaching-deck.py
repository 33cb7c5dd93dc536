# %% [markdown] slideshow={"slide_type": "slide"}
# # Broken bones in the spine: three options
#
# Balloon kyphoplasty, vertebroplasty and care without a procedure, for teaching.
#
# > **Please read first.** A teaching deck for educators. It shows general facts and figures
# > from the sources listed at the end. It is not medical advice and it does not tell anyone
# > which option to choose.

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Overview
#
# 1. The condition
# 2. The three options, and how the procedures are done
# 3. Side by side
# 4. Benefits and risks, as pictures
# 5. What the evidence shows, and how certain it is
# 6. Questions for discussion

# %% [markdown] slideshow={"slide_type": "notes"}
# ## Prerequisites
#
# | Concepts | Importance | Notes |
# | --- | --- | --- |
# | [Compare the options](01-compare-the-options.ipynb) | Helpful | The full side-by-side table |
# | [Risks and benefits](02-risks-and-benefits.ipynb) | Helpful | How to read the pictures and the certainty words |
# | [The evidence](03-the-evidence.ipynb) | Helpful | The studies behind each figure |
#
# **Time to present:** about thirty minutes, with discussion. Present it with `make slides`
# (an offline deck and a PDF in `build/slides/`).

# %% [markdown] slideshow={"slide_type": "skip"}
# ## Imports

# %% slideshow={"slide_type": "skip"}
# %matplotlib inline
import matplotlib.pyplot as plt
import pandas as pd
from IPython.display import Markdown

import kypho_aid
from kypho_aid import style
from kypho_aid.outcomes import design_words
from kypho_aid.plotting import (
    plot_outcome_comparison,
    plot_procedure_strip,
    plot_step_comparison,
    show_risk_view,
    theme,
)
from kypho_aid.procedure import drawing_text, first_step_with, step_comparison_text

pd.set_option("display.max_colwidth", None)


def bullets(lines):
    """The library's sentences as a Markdown list, one per line."""
    return Markdown("\n".join(f"- {line}" for line in lines))


# %% [markdown] slideshow={"slide_type": "slide"}
# ## The condition
#
# ### What it is

# %%
condition = kypho_aid.load_dataset("condition")
bullets(condition.loc[condition["topic"] == "what_it_is", "statement"])

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Signs

# %%
bullets(condition.loc[condition["topic"] == "symptoms", "statement"])

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### How it often goes

# %%
bullets(condition.loc[condition["topic"] == "natural_course", "statement"])

# %% [markdown] slideshow={"slide_type": "slide"}
# ## The options
#
# Care without a procedure is always one of them.

# %%
options = kypho_aid.load_dataset("options").set_index("label")
options[["also_called", "summary"]].fillna("").rename_axis(None)

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Balloon kyphoplasty, step by step

# %%
with theme():
    plot_procedure_strip("kyphoplasty", columns=style.SLIDE_STRIP_COLUMNS)
    plt.show()
print(drawing_text("kyphoplasty"))

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Vertebroplasty, step by step

# %%
with theme():
    plot_procedure_strip("vertebroplasty", columns=style.SLIDE_STRIP_COLUMNS)
    plt.show()
print(drawing_text("vertebroplasty"))

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Where the two procedures differ
#
# A balloon makes a space first, so the cement goes in with a gentle push; without it, the
# cement is pushed straight into the bone under higher pressure.

# %%
key_steps = [
    ("kyphoplasty", first_step_with("kyphoplasty", "balloon")),
    ("kyphoplasty", first_step_with("kyphoplasty", "cement")),
    ("vertebroplasty", first_step_with("vertebroplasty", "cement")),
]
with theme():
    plot_step_comparison(key_steps)
    plt.show()
print(step_comparison_text(key_steps))

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Care without a procedure

# %%
steps = kypho_aid.load_dataset("steps")
care = steps[steps["option_id"] == "non_surgical"]
bullets(f"**{row.label}.** {row.description}" for row in care.itertuples())

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Side by side
#
# ### How it works
#
# Numbers in brackets point to the sources in the speaker notes.

# %%
how = kypho_aid.compare(topics=["balloon_use", "injection_pressure"])
how.labelled().replace("\n", " ", regex=True).rename_axis(None)

# %% slideshow={"slide_type": "notes"}
how.sources[["number", "citation"]].set_index("number")

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### The day of the procedure

# %%
day = kypho_aid.compare(topics=["setting", "time_at_facility"])
day.labelled().replace("\n", " ", regex=True).rename_axis(None)

# %% slideshow={"slide_type": "notes"}
day.sources[["number", "citation"]].set_index("number")

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Afterwards

# %%
after = kypho_aid.compare(topics=["pain_relief_onset", "return_to_activity"])
after.labelled().replace("\n", " ", regex=True).rename_axis(None)

# %% slideshow={"slide_type": "notes"}
after.sources[["number", "citation"]].set_index("number")

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Benefits
#
# ### Pain settling on its own
#
# These groups had nothing to compare with, so they are told in words, not drawn.

# %%
bullets(kypho_aid.outcome_sentences("natural_recovery"))

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Pain relief against a sham procedure

# %%
pain = kypho_aid.chartable_gaps(["pain_relief_early", "pain_relief_later"], "vp_vs_sham")
with theme():
    plot_outcome_comparison(pain)
    plt.show()
print(kypho_aid.comparison_text(pain))

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Pain in studies where people knew their care

# %%
later = kypho_aid.summary_of_findings(["pain_relief_early", "pain_relief_later"])
later = later[later["design"] != "sham_controlled_rct"]
later = later.assign(evidence=later["design"].astype(str).map(design_words()))
later.set_index("comparison_label")[["figure", "timepoint", "evidence", "certainty"]].rename_axis(
    None
)

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Risks
#
# ### A new break in the spine

# %%
show_risk_view("new_fracture")

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Cement leaking out of the bone

# %%
show_risk_view("leakage_any")

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Cement reaching the lungs
#
# A rare event: the pictures count out of 1000 people.

# %%
show_risk_view("cement_embolism")

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Serious problems

# %%
show_risk_view("serious_complications")

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Risks of care without a procedure

# %%
risks = kypho_aid.load_dataset("risks")
care_risks = risks[risks["option_id"] == "non_surgical"]
bullets(care_risks["risk"])

# %% [markdown] slideshow={"slide_type": "slide"}
# ## What the evidence shows
#
# ### Sham-controlled or unblinded
#
# In a sham-controlled trial some people have a fake procedure, so nobody knows who had the
# real one. Pain is rated by the person, so this matters.

# %%
design = kypho_aid.summary_of_findings(["pain_relief_early", "pain_relief_later"])
kinds = design.groupby("comparison_label", observed=True, sort=False)["design"].unique()
named = design_words()
bullets(f"**{label}:** " + "; ".join(named[d] for d in found) for label, found in kinds.items())

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### How certain: the benefits
#
# One column per comparison; an empty cell means no study in our sources made it.

# %%
summary = kypho_aid.summary_of_findings()


def certainty_grid(groups: list[str], *, one_group: bool | None = None) -> pd.DataFrame:
    """Certainty of the evidence, outcome by comparison, for some groups of outcomes
    (``one_group``: only studies that followed one group, or only those that compared two)."""
    rows = summary[summary["group"].astype(str).isin(groups)]
    if one_group is not None:
        rows = rows[(rows["comparator"].astype(str) == "none") == one_group]
    return (
        rows.assign(certainty=rows["certainty"].astype(str).str.replace("_", " "))
        .pivot_table(
            index="outcome_label",
            columns="comparison_label",
            values="certainty",
            aggfunc=lambda levels: ", ".join(sorted(set(levels))),
            fill_value="",
            sort=False,
            observed=True,
        )
        .rename_axis(index=None, columns=None)
    )


certainty_grid(["benefit"])

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### How certain: harms and burdens, two groups compared

# %%
certainty_grid(["harm", "burden"], one_group=False)

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### How certain: harms, one group followed
#
# A study that follows one group can count a harm but cannot compare the options.

# %%
certainty_grid(["harm", "burden"], one_group=True)

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### The studies behind the figures

# %%
studies = kypho_aid.study_table()
pd.crosstab(studies["design"], studies["certainty"]).rename_axis(index=None, columns=None)

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Questions for discussion
#
# ### Check what you know

# %%
quiz = kypho_aid.load_dataset("quiz")
bullets(f"{row.question} *({row.choices.replace(';', ' / ')})*" for row in quiz.itertuples())

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### The answers

# %%
bullets(f"**{row.answer}.** {row.explanation}" for row in quiz.itertuples())

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### What matters to the person?
#
# A decision aid asks people what matters to them. Discuss how each answer could change the
# choice.

# %%
values = kypho_aid.load_dataset("considerations")
bullets(values["question"])

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Summary
#
# - Each option has benefits and harms, and care without a procedure is always an option.
# - Vertebroplasty has been tested against a sham procedure; kyphoplasty only in trials
#   where people knew their care.
# - Much of the evidence is of low or moderate certainty.
# - The choice belongs to the person and their care team.
#
# ### What's next?
#
# Back to the [index](00-index.ipynb), or go through the choice with a patient in
# [the shared-decision session](05-shared-decision-session.ipynb).

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Sources
#
# ### Trials against a sham procedure

# %%
shown = [condition, options, care, care_risks, summary, quiz]
tables = [how.facts, day.facts, after.facts]
cited = pd.concat([frame["source_ids"] for frame in shown + tables])
sources = kypho_aid.bibliography(cited).set_index("number")
sham_findings = summary[summary["design"].astype(str) == "sham_controlled_rct"]
sham_ids = kypho_aid.bibliography(sham_findings["source_ids"])["source_id"]
sham = sources["source_id"].isin(sham_ids) & (sources["kind"] == "rct")
trials = sources["kind"] == "rct"
sources.loc[sham, ["citation"]]

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Other trials

# %%
sources.loc[trials & ~sham, ["citation"]]

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Reviews of many studies

# %%
reviews = sources["kind"].isin(["meta_analysis", "systematic_review"])
sources.loc[reviews, ["citation"]]

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Studies of records and trial registries

# %%
records = sources["kind"].isin(["observational", "trial_registry"])
sources.loc[records, ["citation"]]

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Guidelines and information pages

# %%
sources.loc[~trials & ~reviews & ~records, ["citation"]]

# %%
print(kypho_aid.content_info().footer)
