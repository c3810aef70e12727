"""The release store on S3-compatible object storage: a real moto server on loopback."""

import json
import subprocess
import sys

import boto3
import pytest

from streams import secret
from mintbench.create.build import SetSpec, run_local
from mintbench.difficulty.embedded import free_port
from mintbench.errors import MintbenchError
from mintbench.releases.keys import init_keys, load_keys
from mintbench.releases.release import publish, reproduce, reveal, sealed_items, verify
from mintbench.releases.store import Store

BUCKET = "mintbench-test"


@pytest.fixture(scope="module")
def s3_server():
    from moto.server import ThreadedMotoServer

    port = free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    yield f"http://127.0.0.1:{port}"
    server.stop()


@pytest.fixture()
def s3(s3_server, monkeypatch, tmp_path):
    for key, value in {
        "AWS_ENDPOINT_URL": s3_server, "AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_DEFAULT_REGION": "us-east-1", "XDG_CONFIG_HOME": str(tmp_path / "config"),
    }.items():
        monkeypatch.setenv(key, value)
    client = boto3.client("s3", endpoint_url=s3_server)
    client.create_bucket(Bucket=BUCKET)
    init_keys()
    yield client
    for obj in client.list_objects_v2(Bucket=BUCKET).get("Contents", []):
        client.delete_object(Bucket=BUCKET, Key=obj["Key"])
    client.delete_bucket(Bucket=BUCKET)


def _set(tmp_path, seed, name):
    return run_local(SetSpec(domain="math", count=30, secret=secret(seed)), tmp_path / name)


def test_publish_verify_dedup_reveal_reproduce_on_s3(s3, tmp_path):
    url = f"s3://{BUCKET}/releases"
    keys = load_keys()
    assert publish(_set(tmp_path, 1, "a"), "2026.10", url, keys) == f"{BUCKET}/releases/2026.10"
    names = {o["Key"].split("/")[-1] for o in s3.list_objects_v2(Bucket=BUCKET, Prefix="releases/2026.10/")["Contents"]}
    assert names == {"questions.parquet", "answers.sealed", "fingerprints.parquet", "manifest.json", "manifest.sig", "CARD.md", "NOTES.md"}
    assert verify("2026.10", url) == []
    pointer = json.loads(s3.get_object(Bucket=BUCKET, Key="releases/channels/monthly.json")["Body"].read())
    assert pointer == {"latest": "2026.10"}
    # Freshness reads the history from the bucket: the same candidates again are all repeats.
    with pytest.raises(MintbenchError, match="repeats an earlier release"):
        publish(_set(tmp_path, 1, "again"), "2026.11", url, keys)
    with pytest.raises(MintbenchError, match="immutable"):
        publish(_set(tmp_path, 2, "b"), "2026.10", url, keys)
    assert len(sealed_items("2026.10", url, keys)) == 30
    reveal("2026.10", url, keys, force=True)
    assert reproduce("2026.10", url) == {"items": 30, "reproduced": 30, "problems": []}


def test_tampering_on_s3_is_named_by_the_cli(s3, tmp_path):
    url = f"s3://{BUCKET}/releases"
    publish(_set(tmp_path, 3, "a"), "2026.10", url, load_keys())
    key = "releases/2026.10/questions.parquet"
    body = bytearray(s3.get_object(Bucket=BUCKET, Key=key)["Body"].read())
    body[100] ^= 1
    s3.put_object(Bucket=BUCKET, Key=key, Body=bytes(body))
    out = subprocess.run([sys.executable, "-m", "mintbench.cli", "verify", "2026.10", "--store", url], capture_output=True, text=True)
    assert out.returncode == 1 and "questions.parquet" in out.stdout + out.stderr


def test_a_half_uploaded_release_is_not_published_and_can_be_published_again(s3, tmp_path):
    url = f"s3://{BUCKET}/releases"
    # A crash mid-upload: some files there, no manifest.sig.
    s3.put_object(Bucket=BUCKET, Key="releases/2026.10/questions.parquet", Body=b"partial")
    store = Store(url)
    assert store.versions() == [] and not store.is_published("2026.10")
    publish(_set(tmp_path, 4, "a"), "2026.10", url, load_keys())
    assert Store(url).versions() == ["2026.10"] and verify("2026.10", url) == []
