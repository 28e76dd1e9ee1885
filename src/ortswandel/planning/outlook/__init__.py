"""The all-Germany outlook (issue 8 §4): computation and store (:mod:`.compute`), reads
(:mod:`.reads`)."""
