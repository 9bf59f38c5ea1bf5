"""JSON that is JSON: no NaN or Infinity, which JSON has no words for.

Coefficients carry ``None`` and a reason instead of NaN by construction
(:mod:`accord.agreement.result`); this is the last guard for every float on its way
out (the CLI's ``--format json``, the API's JSON fields): a non-finite number becomes
``null``, and a coefficient's non-finite value becomes ``null`` with a reason.
"""

from __future__ import annotations

import json
import math
from typing import Any

NOT_FINITE = "the computation gave no finite number"


def finite(value: Any) -> Any:
    """``value`` with every non-finite float replaced as described above."""
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, dict):
        out = {k: finite(v) for k, v in value.items()}
        raw = value.get("value")
        if isinstance(raw, float) and not math.isfinite(raw):
            out["undefined_reason"] = out.get("undefined_reason") or NOT_FINITE
        return out
    if isinstance(value, (list, tuple)):
        return [finite(v) for v in value]
    return value


def dumps(value: Any) -> str:
    """One line of strict JSON (``allow_nan=False`` would rather fail than write NaN)."""
    return json.dumps(finite(value), ensure_ascii=False, allow_nan=False)
