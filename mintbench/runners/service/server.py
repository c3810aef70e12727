"""Run the grading service with uvicorn; worker processes rebuild the app from the environment."""

from __future__ import annotations

import json
import os

from mintbench.runners.service.ledger import Ledger, Quota

CONFIG_ENV = "MINTBENCH_GRADER_CONFIG"


def app_from_env():
    """uvicorn factory: each worker process opens the store, the ledger and the owner's keys."""
    from mintbench.releases.keys import load_keys
    from mintbench.runners.service.app import Limits, create_app
    from mintbench.runners.service.disclosure import Disclosure

    cfg = json.loads(os.environ[CONFIG_ENV])
    limits = Limits(max_body_bytes=cfg["max_body_bytes"], quota=Quota(cfg["per_day"], cfg["total"]), min_coverage=cfg["min_coverage"],
                    disclosure=Disclosure(step=cfg["score_step"], min_cell=cfg["min_cell"], public_share=cfg.get("public_share", 0.5)), reply_quantum_s=cfg["reply_quantum_s"],
                    grading_workers=cfg.get("grading_workers", 2))
    return create_app(cfg["store"], Ledger(cfg["ledger"]), load_keys(), limits, results_path=cfg.get("results"))


def serve(store: str, ledger: str, host: str, port: int, per_day: int, total: int, max_body_bytes: int,
          min_coverage: float = 0.5, workers: int = 1, score_step: float = 0.01, min_cell: int = 50,
          reply_quantum_s: float = 0.5, results: str | None = None, grading_workers: int = 2, public_share: float = 0.5) -> None:
    import uvicorn

    from mintbench.releases.keys import load_keys

    load_keys()  # fail now, with a clear message, rather than in every worker
    Ledger(ledger)
    os.environ[CONFIG_ENV] = json.dumps(
        {"store": store, "ledger": str(ledger), "per_day": per_day, "total": total, "max_body_bytes": max_body_bytes, "min_coverage": min_coverage,
         "score_step": score_step, "min_cell": min_cell, "reply_quantum_s": reply_quantum_s, "results": results,
         "grading_workers": grading_workers, "public_share": public_share}
    )
    uvicorn.run("mintbench.runners.service.server:app_from_env", factory=True, host=host, port=port, workers=workers, log_level="info")
