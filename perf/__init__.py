"""Measuring the suite: the benchmark and the soak (they run pytest; they do not report on a run)."""
