"""Charts and drawings of kypho-aid: the only package that imports matplotlib.

:mod:`~kypho_aid.plotting.charts` draws findings (icon arrays, outcome comparisons, the
timeline); :mod:`~kypho_aid.plotting.drawings` draws the procedures step by step; both share
the house theme and PNG rendering of :mod:`~kypho_aid.plotting._base`. Every name is
importable from ``kypho_aid.plotting`` as before.
"""

from kypho_aid.plotting._base import theme
from kypho_aid.plotting.charts import (
    PERSON_MARKER,
    plot_icon_array,
    plot_outcome_comparison,
    plot_risk_view,
    plot_timeline,
    render_png,
    show_risk_view,
)
from kypho_aid.plotting.drawings import (
    draw_elements,
    plot_procedure_step,
    plot_procedure_strip,
    plot_step_comparison,
    render_step_png,
)

__all__ = [
    "PERSON_MARKER",
    "draw_elements",
    "plot_icon_array",
    "plot_outcome_comparison",
    "plot_procedure_step",
    "plot_procedure_strip",
    "plot_risk_view",
    "plot_step_comparison",
    "plot_timeline",
    "render_png",
    "render_step_png",
    "show_risk_view",
    "theme",
]
