"""Coefficients as the literature names them, with their citations, and which of them
get a verdict.

The machine ids (``u_alpha``, ``brennan_prediger`` …) stay in JSON and the API; every
text a person reads (the CLI's table, the report, the methods paragraph) uses
:func:`label` or :func:`name` and cites :data:`REFERENCES`.

Verdicts. Krippendorff (2004, p. 241) publishes the thresholds Accord applies: rely on
data with α ≥ .800, draw tentative conclusions from .667 ≤ α < .800, and discard the rest.
They are stated for α, whatever its metric, and carry to the unitizing members of α's
family, which are defined the same way (1 − observed/expected disagreement) and for
which Krippendorff, Mathet, Bouvry & Widlöcher (2016) give q, the probability of failing
a targeted α: α_U (Krippendorff 2004), uα, |uα, cuα, Cuα and (k)uα (2016), and α with
the MASI distance (Passonneau 2006), which is α with a set distance. Percent agreement
and the κ-like coefficients (Cohen, Scott, Fleiss, Conger, Brennan–Prediger, Gwet) are
shown with their intervals and no verdict: Accord applies no benchmark to them, and
α's thresholds are not theirs to borrow.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Naming:
    name: str  # as the literature writes it, for prose
    cite: str | None  # the reference key in REFERENCES
    year: str | None  # shown in tables, where two families sit side by side
    verdict: bool  # a published threshold applies

    @property
    def label(self) -> str:
        """The name for a table: capitalised, with the family's year where it has one."""
        name = self.name[:1].upper() + self.name[1:]
        return f"{name} ({self.year})" if self.year else name


KRIPPENDORFF_2004 = "Krippendorff (2004)"
KRIPPENDORFF_2016 = "Krippendorff, Mathet, Bouvry & Widlöcher (2016)"
HAYES_2007 = "Hayes & Krippendorff (2007)"

NAMING: dict[str, Naming] = {
    "u_alpha": Naming("Krippendorff's uα", KRIPPENDORFF_2016, "2016", True),
    "binary_u_alpha": Naming("Krippendorff's |uα", KRIPPENDORFF_2016, "2016", True),
    "cu_alpha": Naming("Krippendorff's cuα", KRIPPENDORFF_2016, "2016", True),
    "cu_alpha_across_groups": Naming("Krippendorff's Cuα", KRIPPENDORFF_2016, "2016", True),
    "k_u_alpha": Naming("Krippendorff's (k)uα", KRIPPENDORFF_2016, "2016", True),
    "unitizing_alpha_2004": Naming("Krippendorff's α_U", KRIPPENDORFF_2004, "2004", True),
    "units_masi_alpha": Naming(
        "Krippendorff's α with the MASI distance", "Passonneau (2006)", None, True
    ),
    "krippendorff_alpha": Naming("Krippendorff's α", KRIPPENDORFF_2004, None, True),
    "percent_agreement": Naming("percent agreement", None, None, False),
    "brennan_prediger": Naming(
        "Brennan and Prediger's κ", "Brennan & Prediger (1981)", None, False
    ),
    "cohen_kappa": Naming("Cohen's κ", "Cohen (1960)", None, False),
    "scott_pi": Naming("Scott's π", "Scott (1955)", None, False),
    "fleiss_kappa": Naming("Fleiss' κ", "Fleiss (1971)", None, False),
    "conger_kappa": Naming("Conger's κ", "Conger (1980)", None, False),
    "gwet_ac1": Naming("Gwet's AC1", "Gwet (2008)", None, False),
    "gwet_ac2": Naming("Gwet's AC2", "Gwet (2014)", None, False),
}

REFERENCES: dict[str, str] = {
    "Brennan & Prediger (1981)": "Brennan, R. L., & Prediger, D. J. (1981). Coefficient kappa: "
    "Some uses, misuses, and alternatives. Educational and Psychological Measurement, 41(3), "
    "687–699.",
    "Cohen (1960)": "Cohen, J. (1960). A coefficient of agreement for nominal scales. "
    "Educational and Psychological Measurement, 20(1), 37–46.",
    "Conger (1980)": "Conger, A. J. (1980). Integration and generalization of kappas for "
    "multiple raters. Psychological Bulletin, 88(2), 322–328.",
    "Fleiss (1971)": "Fleiss, J. L. (1971). Measuring nominal scale agreement among many "
    "raters. Psychological Bulletin, 76(5), 378–382.",
    "Gwet (2008)": "Gwet, K. L. (2008). Computing inter-rater reliability and its variance in "
    "the presence of high agreement. British Journal of Mathematical and Statistical "
    "Psychology, 61(1), 29–48.",
    "Gwet (2014)": "Gwet, K. L. (2014). Handbook of inter-rater reliability (4th ed.). "
    "Advanced Analytics.",
    HAYES_2007: "Hayes, A. F., & Krippendorff, K. (2007). Answering the call for a standard "
    "reliability measure for coding data. Communication Methods and Measures, 1(1), 77–89.",
    KRIPPENDORFF_2004: "Krippendorff, K. (2004). Content analysis: An introduction to its "
    "methodology (2nd ed.). Sage.",
    KRIPPENDORFF_2016: "Krippendorff, K., Mathet, Y., Bouvry, S., & Widlöcher, A. (2016). On "
    "the reliability of unitizing textual continua: Further developments. Quality & "
    "Quantity, 50(6), 2347–2364.",
    "Passonneau (2006)": "Passonneau, R. J. (2006). Measuring agreement on set-valued items "
    "(MASI) for semantic and pragmatic annotation. Proceedings of the Fifth International "
    "Conference on Language Resources and Evaluation (LREC 2006).",
    "Scott (1955)": "Scott, W. A. (1955). Reliability of content analysis: The case of nominal "
    "scale coding. Public Opinion Quarterly, 19(3), 321–325.",
}

#: Said wherever verdicts appear (CLI help and table, report, API descriptions).
VERDICT_RULE = (
    "Verdicts are given for Krippendorff's α and its unitizing family only, the "
    "coefficients for which Krippendorff (2004, p. 241) publishes thresholds; the other "
    "coefficients are shown with their intervals and no verdict."
)


def naming(key: str) -> Naming:
    """The naming of a coefficient id; an id Accord does not know is shown as it is."""
    return NAMING.get(key) or Naming(key, None, None, False)


def label(key: str) -> str:
    """The name for a table, with the family's year where two families meet."""
    return naming(key).label


def name(key: str) -> str:
    """The name for prose."""
    return naming(key).name


def cited(key: str) -> str:
    """The name followed by its citation, as a methods paragraph introduces it."""
    n = naming(key)
    return f"{n.name} ({in_parentheses(n.cite)})" if n.cite else n.name


def has_verdict(key: str) -> bool:
    """Whether a published threshold applies to the coefficient (see the module doc)."""
    return naming(key).verdict


def in_parentheses(cite: str) -> str:
    """A reference key as the citation inside parentheses: ``Cohen (1960)`` → ``Cohen,
    1960``."""
    who, _, year = cite.rpartition(" (")
    return f"{who}, {year.rstrip(')')}"
