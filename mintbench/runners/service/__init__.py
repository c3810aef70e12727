"""The closed grading service: sealed releases scored over HTTP, aggregates only."""
