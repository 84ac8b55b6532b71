"""Loggers (CSV, TensorBoard event files) and the plot callback write what was logged."""

from __future__ import annotations

import csv
import struct

import pytest

import embertrain as et
from tests.embertrain._common import Classifier, make_data


def _fit(tmp_path, **kwargs):
    train, val = make_data()
    trainer = et.Trainer(
        max_epochs=2,
        default_root_dir=tmp_path,
        enable_progress_bar=False,
        log_every_n_steps=2,
        **kwargs,
    )
    trainer.fit(Classifier(), train, val)
    return trainer


def test_csv_logger_writes_steps_and_epochs(tmp_path):
    trainer = _fit(tmp_path)  # logger=True: a CSVLogger in default_root_dir/logs/version_0
    path = tmp_path / "logs" / "version_0" / "metrics.csv"
    assert trainer.log_dir == path.parent
    rows = list(csv.DictReader(path.open()))
    step_rows = [r for r in rows if r["train_loss_step"]]
    assert [int(r["step"]) for r in step_rows] == [2, 4, 6, 8, 10, 12]
    epoch_rows = [r for r in rows if r["train_loss_epoch"]]
    assert [(int(r["step"]), float(r["epoch"])) for r in epoch_rows] == [(6, 0.0), (12, 1.0)]
    val_rows = [r for r in rows if r["val_loss"]]
    assert len(val_rows) == 2
    assert float(val_rows[-1]["val_loss"]) == pytest.approx(trainer.callback_metrics["val_loss"])
    # a second run gets the next version
    assert et.CSVLogger(tmp_path).version == 1


def _read_events(path):
    """The records of a TFRecord file (length, crc, data, crc), parsed as tensorboard Events."""
    from tensorboardX.proto import event_pb2

    data, events, pos = path.read_bytes(), [], 0
    while pos < len(data):
        (length,) = struct.unpack("<Q", data[pos : pos + 8])
        events.append(event_pb2.Event.FromString(data[pos + 12 : pos + 12 + length]))
        pos += 12 + length + 4
    return events


def test_tensorboard_logger_writes_scalars(tmp_path):
    pytest.importorskip("tensorboardX")
    logger = et.TensorBoardLogger(tmp_path)
    trainer = _fit(tmp_path, logger=logger)
    (path,) = (tmp_path / "tb_logs" / "version_0").glob("events.out.tfevents.*")
    scalars = {}
    for event in _read_events(path):
        for value in event.summary.value:
            scalars.setdefault(value.tag, []).append((event.step, value.simple_value))
    assert [s for s, _ in scalars["train_loss_step"]] == [2, 4, 6, 8, 10, 12]
    assert scalars["val_loss"][-1][1] == pytest.approx(trainer.callback_metrics["val_loss"])
    assert "epoch" not in scalars


def test_plot_curves_writes_pngs(tmp_path):
    pytest.importorskip("matplotlib")
    plots = et.PlotCurves(tmp_path / "plots")
    _fit(tmp_path, logger=False, callbacks=[plots])
    names = sorted(p.name for p in plots.paths)
    assert names == ["acc.png", "loss.png"]
    for path in plots.paths:
        assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and path.stat().st_size > 5000
    assert len(plots.history["train_loss_step"]) == 12
    assert [x for x, _ in plots.history["val_loss"]] == [1.0, 2.0]
    assert [x for x, _ in plots.history["train_loss_step"]][:2] == pytest.approx([1 / 6, 2 / 6])
