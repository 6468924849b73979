"""Study tables: the CSV files in `<out>/tables/` that readers open and that later steps read back."""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from analysis import config

SENTENCE_COLUMNS = ["article_id", "sentence_index", "paragraph", "kind", "text", "words"]
SIGNIFICANT_DIGITS = 12  # numbers in written tables; numpy's vectorised log and BLAS can differ between CPUs
EXACT_POWERS = 22  # 10.0**k is exact for 0 <= k <= 22


def round_significant(values, digits: int = SIGNIFICANT_DIGITS) -> np.ndarray:
    """`values` (floats) rounded to `digits` significant digits, each the double nearest its decimal, so that it
    prints as at most `digits` digits; 0, NaN and infinities are kept. Vectorised: n = rint(x * 10**shift) is an
    exact integer below 10**digits, and n / 10**shift (or n * 10**-shift) one correctly rounded operation."""
    x = np.array(values, dtype=float)
    out = x.copy()
    todo = np.isfinite(x) & (x != 0)
    shift = np.zeros(x.shape, dtype=int)
    shift[todo] = digits - 1 - np.floor(np.log10(np.abs(x[todo]))).astype(int)
    up = todo & (shift >= 0) & (shift <= EXACT_POWERS)
    down = todo & (shift < 0) & (shift >= -EXACT_POWERS)
    out[up] = np.rint(x[up] * 10.0 ** shift[up]) / 10.0 ** shift[up]
    out[down] = np.rint(x[down] / 10.0 ** -shift[down]) * 10.0 ** -shift[down]
    rest = todo & ~up & ~down
    out[rest] = [float(f"{v:.{digits}g}") for v in x[rest]]
    return out


def stable_floats(table: pd.DataFrame) -> pd.DataFrame:
    """`table` with every float column rounded by `round_significant`, so that its CSV is the same text on every
    machine (a copy; other columns untouched)."""
    floats = [c for c in table.columns if pd.api.types.is_float_dtype(table[c])]
    if not floats:
        return table
    return table.assign(**{c: round_significant(table[c]) for c in floats})


def write_table(table: pd.DataFrame, name: str, out: str | Path = ".") -> Path:
    """Write `table` to `<out>/tables/<name>.csv` (UTF-8, LF line ends, no index, floats to 12 significant
    digits); return the path."""
    folder = config.tables_dir(out)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.csv"
    stable_floats(table).to_csv(path, index=False, lineterminator="\n")
    return path


def read_table(name: str, out: str | Path = ".") -> pd.DataFrame:
    """Read `<out>/tables/<name>.csv` back (empty strings stay empty strings, not NaN)."""
    return pd.read_csv(config.tables_dir(out) / f"{name}.csv", keep_default_na=False)
