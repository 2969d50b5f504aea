"""Neware ``.nda``/``.ndax`` binaries through fastnda (preferred) or NewareNDA (extra ``io``).

fastnda returns Battery Data Format columns directly (``columns="bdf"``: ``voltage_volt``,
``current_ampere``, ``test_time_second``, ``cycle_count``, ``step_count``, ``step_id``...);
NewareNDA returns ``Time`` (step time [s]), ``Voltage`` [V], ``Current(mA)``, ``Cycle``,
``Step``, ``Step_Index``, ``Timestamp``. Both keep Neware's sign (positive on charge) and
the raw cycle numbering is kept (``cycle_mode="raw"``).

References
----------
fastnda (Empa) ``fastnda.read``; NewareNDA (Solid Power) ``NewareNDA.read``; seed 004 (Neware).
"""

from __future__ import annotations

from os import PathLike

import numpy as np
import pandas as pd

from sianode.errors import DependencyError, FileFormatError
from sianode.experiments.schema import (
    CURRENT,
    CYCLE,
    RECORD,
    STEP,
    STEP_INDEX,
    STEP_TIME,
    TIME,
    UNIX_TIME,
    VOLTAGE,
    validate_timeseries,
)

__all__ = ["read_neware"]

_FASTNDA = {"step_id": STEP_INDEX}


def _with_fastnda(path) -> pd.DataFrame:
    import fastnda

    pl_df = fastnda.read(str(path), cycle_mode="raw", columns="bdf")
    df = pl_df.to_pandas() if hasattr(pl_df, "to_pandas") else pd.DataFrame(pl_df)
    return df.rename(columns=_FASTNDA)


def _with_newarenda(path) -> pd.DataFrame:
    import NewareNDA

    raw = NewareNDA.read(str(path))
    out = pd.DataFrame({
        VOLTAGE: raw["Voltage"].to_numpy(dtype=float),
        CURRENT: raw["Current(mA)"].to_numpy(dtype=float) * 1e-3,
        CYCLE: raw["Cycle"].to_numpy(),
        STEP: raw["Step"].to_numpy(),
        STEP_INDEX: raw["Step_Index"].to_numpy(),
        RECORD: raw["Index"].to_numpy(),
        STEP_TIME: raw["Time"].to_numpy(dtype=float),
    })
    if "Timestamp" in raw:
        ts = pd.to_datetime(raw["Timestamp"])
        unix = (ts - pd.Timestamp(0)).dt.total_seconds().to_numpy()
        out[UNIX_TIME] = unix
        out[TIME] = unix - unix[0]
    else:  # test time = step time accumulated over steps
        step_t = out[STEP_TIME].to_numpy()
        new = np.r_[True, np.diff(out[STEP].to_numpy()) != 0]
        offset = np.cumsum(np.where(new, np.r_[0.0, step_t[:-1]], 0.0))
        out[TIME] = step_t + offset
    return out


def read_neware(path: str | PathLike[str], *, backend: str = "auto") -> pd.DataFrame:
    """Read a Neware ``.nda`` or ``.ndax`` file.

    Parameters
    ----------
    path : str or PathLike
        The binary file.
    backend : {"auto", "fastnda", "newarenda"}
        ``auto`` uses fastnda when installed, else NewareNDA.

    Returns
    -------
    pandas.DataFrame
        Tidy time series (current in A, positive on charge).

    Raises
    ------
    DependencyError
        Neither fastnda nor NewareNDA is installed (extra ``io``).
    FileFormatError
        The backend cannot parse the file.

    References
    ----------
    Module docstring; seed 004 (Neware cycler).
    """
    backends = {"fastnda": _with_fastnda, "newarenda": _with_newarenda}
    if backend == "auto":
        order = ["fastnda", "newarenda"]
    elif backend in backends:
        order = [backend]
    else:
        from sianode.errors import UnknownNameError

        raise UnknownNameError("Neware backend", backend, ["auto", *backends])
    last: ImportError | None = None
    for name in order:
        try:
            df = backends[name](path)
        except ImportError as exc:
            last = exc
            continue
        except FileNotFoundError as exc:
            raise FileFormatError(path, "file not found") from exc
        except Exception as exc:  # the backends raise many types on corrupt files
            raise FileFormatError(path, f"{name} cannot read it ({type(exc).__name__}: {exc})") \
                from exc
        return validate_timeseries(df, path)
    raise DependencyError("fastnda or NewareNDA", "io", "reading Neware .nda/.ndax files") \
        from last
