"""Words read as yes/no in success columns and results files (any case)."""

TRUE_WORDS = frozenset({"true", "t", "1", "yes", "y", "pass", "passed", "success", "ok", "1.0"})
FALSE_WORDS = frozenset({"false", "f", "0", "no", "n", "fail", "failed", "failure", "0.0"})
