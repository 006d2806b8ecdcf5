"""The onboarding/offboarding journal: one JSON file per tenant environment beside the stacks
(``stacks/.lifecycle/<tenant>-<env>.<workflow>.json``), rewritten atomically after every change so a crash
leaves either the previous or the next state, never half a file."""

from __future__ import annotations

import getpass
import json
import os
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

JOURNAL_DIR = ".lifecycle"
DONE = "done"
STARTED = "started"
# Stack files and journals are project files, readable like the rest of the checkout (mkstemp makes 0600).
FILE_MODE = 0o644


def journal_path(stacks_dir: Path, stack: str, workflow: str) -> Path:
    return stacks_dir / JOURNAL_DIR / f"{stack}.{workflow}.json"


def write_atomically(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temporary, FILE_MODE)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


@dataclass
class Journal:
    path: Path
    stack: str
    workflow: str
    steps: dict[str, dict[str, Any]] = field(default_factory=dict)
    data: dict[str, Any] = field(default_factory=dict)
    runs: list[dict[str, Any]] = field(default_factory=list)

    @classmethod
    def load(cls, path: Path, stack: str, workflow: str) -> Journal | None:
        if not path.is_file():
            return None
        raw = json.loads(path.read_text(encoding="utf-8"))
        return cls(path, stack, workflow, raw.get("steps", {}), raw.get("data", {}), raw.get("runs", []))

    def save(self) -> None:
        document = {
            "stack": self.stack,
            "workflow": self.workflow,
            "steps": self.steps,
            "data": self.data,
            "runs": self.runs,
        }
        write_atomically(self.path, json.dumps(document, indent=2, sort_keys=True, ensure_ascii=False) + "\n")

    def begin_run(self, who: str) -> None:
        self.runs.append({"started": time.time(), "by": who, "user": getpass.getuser()})
        self.save()

    def done(self, step: str) -> bool:
        return self.steps.get(step, {}).get("status") == DONE

    def start(self, step: str) -> None:
        entry = self.steps.setdefault(step, {})
        entry.update(status=STARTED, started=time.time(), attempts=int(entry.get("attempts", 0)) + 1)
        self.save()

    def finish(self, step: str, **result: Any) -> None:
        entry = self.steps.setdefault(step, {})
        entry.update(status=DONE, finished=time.time(), **result)
        entry["seconds"] = round(entry["finished"] - entry.get("started", entry["finished"]), 3)
        self.save()
