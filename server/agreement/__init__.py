"""Accord's agreement engine: inter-coder agreement as pure functions over numpy arrays.

The engine knows nothing of SQL or HTTP. A caller hands it reliability data (units ×
coders) or coded segments (document, coder, code, start, end) and gets back dataclasses
that say the value, its confidence interval, why a value is undefined, and how many
units were used or left out.

Entry points for a server or a script:

- :func:`server.agreement.report.reliability_report` for units × coders data;
- :func:`server.agreement.report.segment_report` for coded segments on a continuum.
"""

from server.agreement.errors import AgreementInputError
from server.agreement.reliability_data import ReliabilityData
from server.agreement.report import (
    ReliabilityReport,
    SegmentReport,
    reliability_report,
    segment_report,
)
from server.agreement.result import Coefficient, UnitCounts, verdict
from server.agreement.segments import Segment, Unit

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
