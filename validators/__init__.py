"""Gold-answer proofs and response grading; see `validators.grade` and `validators.proofs`."""
