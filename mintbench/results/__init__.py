"""Results across models and months: the store, the statistics and the board."""
