"""`papercast run` options of manual runs: --profiles, --readers, --runner, --batch-size (checked before Prefect starts)."""

from __future__ import annotations

import pytest

from papercast.cli import build_parser, main


def run_args(*options: str):
    return build_parser().parse_args(["run", "--config", "c.toml", *options])


def test_lists_may_be_comma_separated_or_repeated():
    args = run_args("--profiles", "reasoning,multimodal", "--profiles", "scaling", "--readers", "a@x.org")
    assert args.profiles == ["reasoning", "multimodal", "scaling"] and args.readers == ["a@x.org"]
    assert run_args().profiles is None and run_args().runner == "default"


@pytest.mark.parametrize("runner", ["default", "processes", "dask", "dask://127.0.0.1:8786", "dask://scheduler.lan:8786"])
def test_known_runners_are_accepted(runner):
    assert run_args("--runner", runner).runner == runner


@pytest.mark.parametrize("options", [("--runner", "ray"), ("--runner", "dask://host"), ("--runner", "dask://:1"),
                                     ("--batch-size", "0"), ("--profiles", ",")])
def test_bad_options_are_rejected_by_name(options, capsys):
    with pytest.raises(SystemExit) as caught:
        run_args(*options)
    assert caught.value.code == 2 and options[0] in capsys.readouterr().err


@pytest.mark.parametrize("option, value", [("--profiles", "astrology"), ("--readers", "nobody@example.org")])
def test_unknown_profile_or_reader_is_one_line_before_prefect_starts(config_path, capsys, option, value):
    assert main(["run", "--config", str(config_path), option, value]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and value in err and "Traceback" not in err
    assert not (config_path.parent / "state" / "prefect").exists(), "Prefect should not have been prepared"
