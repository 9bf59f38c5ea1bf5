"""Accord's agreement engine: inter-coder agreement as pure functions over numpy arrays.

The engine knows nothing of SQL or HTTP. A caller hands it reliability data (units ×
coders) or coded segments (document, coder, code, start, end) and gets back dataclasses
that say the value, its confidence interval, why a value is undefined, and how many
units were used or left out.

Entry points for a server or a script:

- :func:`accord.agreement.report.reliability_report` for units × coders data;
- :func:`accord.agreement.report.segment_report` for coded segments on a continuum.
"""

from accord.agreement.errors import AgreementInputError
from accord.agreement.reliability_data import ReliabilityData
from accord.agreement.report import (
    ReliabilityReport,
    SegmentReport,
    reliability_report,
    segment_report,
)
from accord.agreement.result import Coefficient, UnitCounts, verdict
from accord.agreement.segments import Segment, Unit

__all__ = [
    "AgreementInputError",
    "Coefficient",
    "ReliabilityData",
    "ReliabilityReport",
    "Segment",
    "SegmentReport",
    "Unit",
    "UnitCounts",
    "reliability_report",
    "segment_report",
    "verdict",
]
