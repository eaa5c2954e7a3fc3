from live.timer import Timer, format_clock, phase


def test_countdown_pause_resume():
    t = Timer.fresh(600, now=1000.0)
    assert t.remaining(1000.0) == 600
    assert t.remaining(1030.5) == 569.5
    paused = t.pause(1060.0)
    assert not paused.running
    assert paused.remaining(5000.0) == 540  # a paused timer does not move
    resumed = paused.resume(2000.0)
    assert resumed.remaining(2010.0) == 530
    assert resumed.resume(2020.0) is resumed  # resuming a running timer changes nothing


def test_adjust_adds_and_removes_time_but_not_below_zero():
    t = Timer.fresh(120, now=0.0)
    assert t.adjust(60).remaining(0.0) == 180
    assert t.adjust(-60).remaining(30.0) == 30
    assert t.adjust(-999).duration == 0


def test_overtime_counts_negative():
    t = Timer.fresh(60, now=0.0)
    assert t.remaining(75.0) == -15
    assert phase(t.remaining(75.0)) == "overtime"


def test_phase_boundaries():
    assert phase(61) == "ok"
    assert phase(60) == "warning"
    assert phase(0.5) == "warning"
    assert phase(0) == "warning"
    assert phase(-0.1) == "overtime"
    assert phase(31, warning=30) == "ok"
    assert phase(30, warning=30) == "warning"


def test_format_clock():
    assert format_clock(600) == "10:00"
    assert format_clock(599.2) == "10:00"  # rounds up while counting down
    assert format_clock(59) == "0:59"
    assert format_clock(0) == "0:00"
    assert format_clock(-0.4) == "0:00"  # no "−0:00"
    assert format_clock(-1) == "−0:01"
    assert format_clock(-75.9) == "−1:15"
