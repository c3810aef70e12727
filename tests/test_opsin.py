"""The long-lived OPSIN process: one answer per name, in step, whatever the names and whatever
happens to the JVM."""

from __future__ import annotations

from validators.opsin import Opsin


def test_a_name_that_would_split_the_stream_is_refused_and_the_stream_stays_in_step():
    opsin = Opsin()
    try:
        assert opsin.smiles("ethanol") == "C(C)O"
        assert opsin.smiles("ethanol\nmethane") is None and opsin.smiles("propane\r") is None
        assert opsin.smiles("not a chemical name at all") is None  # OPSIN's empty line: no desync
        assert opsin.smiles("benzene") == "C1=CC=CC=C1" and opsin.smiles("methane") == "C"
        assert opsin.starts == 1
    finally:
        opsin.close()


def test_a_jvm_that_died_is_started_again_on_the_next_lookup():
    opsin = Opsin()
    try:
        assert opsin.smiles("ethanol") == "C(C)O"
        opsin._proc.kill()
        opsin._proc.wait()
        assert opsin.smiles("propan-2-ol") == "CC(C)O" and opsin.starts == 2
    finally:
        opsin.close()


def test_a_lookup_past_its_time_limit_reads_nothing_and_the_next_one_is_answered():
    opsin = Opsin()
    try:
        assert opsin.smiles("methane") == "C"  # warm: the start is paid
        assert opsin.smiles("ethanol", timeout_s=0.0) is None  # the JVM is killed, not left out of step
        assert opsin.smiles("ethanol") == "C(C)O" and opsin.starts == 2
    finally:
        opsin.close()
