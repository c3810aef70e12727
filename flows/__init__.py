"""Prefect flows: orchestration only; the work lives in plain functions in `mintbench`."""
