"""Where Splink runs a batch linkage: DuckDB (in process) or Spark (local mode), one model for both.

Files are read and prepared in DuckDB on either backend (ADR 43); an `Engine` then holds the
prepared tables in the chosen backend and answers the few queries the batch run makes of them.
The model's SQL is written for DuckDB and transpiled by Splink (sqlglot) for Spark.
"""

from __future__ import annotations

import logging
import os
import shutil
import sys
import tempfile
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, get_args

import duckdb
from splink import DuckDBAPI
from splink.internals.database_api import DatabaseAPISubClass
from splink.internals.splink_dataframe import SplinkDataFrame

from lantern.common.errors import LanternError
from lantern.linkage import model

if TYPE_CHECKING:
    from pyspark.sql import SparkSession

Backend = Literal["duckdb", "spark"]
BACKENDS: tuple[Backend, ...] = get_args(Backend)

# Local mode on the machine's share: two cores and one shuffle partition each (Spark's 200 make
# hundreds of tiny tasks; 2 against 8 took a 2,000-record run from 42 s to 28 s), no web UI.
SPARK_CONFIG = {
    "spark.master": "local[2]",
    "spark.sql.shuffle.partitions": "2",
    "spark.default.parallelism": "2",
    "spark.driver.memory": "3g",
    "spark.ui.enabled": "false",
    # Splink sends hundreds of small queries: re-planning each adaptively costs more than it saves
    # (a 500-record run: 42 s against 59 s), and the scoring query's CASE expressions outgrow
    # whole-stage code generation's 64 KB method limit, which Spark logs as an error and falls back.
    "spark.sql.adaptive.enabled": "false",
    "spark.sql.codegen.wholeStage": "false",
    "spark.ui.showConsoleProgress": "false",
    "spark.log.level": "ERROR",
}
# sqlglot writes DuckDB's jaro_winkler_similarity under this name for Spark, which has no such
# built-in. Splink's jar has `jaro_winkler`, but it differs from DuckDB's on one pair in twenty
# (porter/porrter: 0.919 against 0.928, across the 0.92 level); jellyfish agrees with DuckDB's.
SPARK_JARO_WINKLER = "jarowinkler_similarity"


class BackendUnavailable(LanternError):
    """The backend cannot start here (its package or Java is missing); the message says how to fix it."""


@dataclass
class Engine:
    """A Splink DB API holding the prepared tables, and the queries the batch run makes of it."""

    db_api: DatabaseAPISubClass
    frames: list[SplinkDataFrame]
    query: Callable[[str], SplinkDataFrame]  # a SELECT, registered as a table Splink can use
    rows: Callable[[str], list[tuple[Any, ...]]]  # a SELECT's rows, in Python


@contextmanager
def engine(backend: Backend, con: duckdb.DuckDBPyConnection, tables: Sequence[str]) -> Iterator[Engine]:
    """The prepared `tables` (in DuckDB's `con`) held in `backend`, for the length of one run."""
    if backend == "duckdb":
        yield _duckdb_engine(con, tables)
    elif backend == "spark":
        with spark_session() as session, tempfile.TemporaryDirectory(prefix="lantern-spark-") as tmp:
            yield _spark_engine(session, con, tables, Path(tmp))
    else:
        raise ValueError(f"unknown linkage backend {backend!r}; one of {', '.join(BACKENDS)}")


def _duckdb_engine(con: duckdb.DuckDBPyConnection, tables: Sequence[str]) -> Engine:
    db_api = DuckDBAPI(connection=con)
    return Engine(
        db_api=db_api,
        frames=[db_api.register(con.table(table)) for table in tables],
        query=lambda sql: db_api.register(con.sql(sql)),
        rows=lambda sql: con.sql(sql).fetchall(),
    )


def _spark_engine(session: SparkSession, con: duckdb.DuckDBPyConnection, tables: Sequence[str], tmp: Path) -> Engine:
    """Prepared tables handed over as Parquet (typed, lists as arrays); Splink checkpoints to `tmp`."""
    from splink import SparkAPI

    session.sparkContext.setCheckpointDir(str(tmp / "checkpoints"))
    db_api = SparkAPI(spark_session=session, break_lineage_method="parquet")  # type: ignore[no-untyped-call]
    _register_functions(session)
    frames = []
    for table in tables:
        path = tmp / f"{table}.parquet"
        con.table(table).write_parquet(str(path))
        frames.append(db_api.register(session.read.parquet(str(path))))
    return Engine(
        db_api=db_api,
        frames=frames,
        query=lambda sql: db_api.register(session.sql(sql)),
        rows=lambda sql: [tuple(row) for row in session.sql(sql).collect()],
    )


def _register_functions(session: SparkSession) -> None:
    """DuckDB's functions that the model uses and Spark lacks, as Spark functions that agree with them."""
    import jellyfish
    from pyspark.sql.types import BooleanType, DoubleType

    def jaro_winkler(left: str | None, right: str | None) -> float | None:
        return None if left is None or right is None else jellyfish.jaro_winkler_similarity(left, right)

    def form_spelled_like(forms: list[str] | None, name: str | None) -> bool:
        return name is not None and any(
            jellyfish.jaro_winkler_similarity(form, name) >= model.FORM_SIMILARITY for form in forms or ()
        )

    session.udf.register(SPARK_JARO_WINKLER, jaro_winkler, DoubleType())
    session.udf.register(model.FORM_SPELLED_LIKE, form_spelled_like, BooleanType())


@contextmanager
def spark_session() -> Iterator[SparkSession]:
    """A local Spark session, stopped at the end; or the one already running (a test module's
    shared session, as Spark takes seconds to start), which is left running."""
    try:
        from pyspark.sql import SparkSession
        from splink.backends.spark import similarity_jar_location
    except ImportError as error:
        raise BackendUnavailable("the spark backend needs pyspark: pip install 'lantern[spark]'") from error
    if shutil.which("java") is None and "JAVA_HOME" not in os.environ:
        raise BackendUnavailable("the spark backend needs Java: make jre (Debian's default-jre-headless)")
    running = SparkSession.getActiveSession()
    if running is not None:
        yield running
        return
    builder = SparkSession.builder.appName("lantern-link").config("spark.jars", similarity_jar_location())
    for key, value in SPARK_CONFIG.items():
        builder = builder.config(key, value)
    logging.getLogger("py4j").setLevel(logging.ERROR)
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)  # Python functions run here, with our packages
    session = builder.getOrCreate()
    session.sparkContext.setLogLevel("ERROR")
    try:
        yield session
    finally:
        session.stop()
