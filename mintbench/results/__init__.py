"""Results across models and months: the append-only results store, the statistics
(intervals, paired tests, rank ranges, contamination gaps) and the board built from them.

A stage between releases and runners: imports the item core, releases and the errors module;
grading a model's responses into it lives in the runners (mintbench.runners.results_feed), and
the grading service feeds it and serves its public board.
"""
