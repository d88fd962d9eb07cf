import time


def pytest_terminal_summary(terminalreporter):
    from tests.fuzz.test_api_fuzz import RUN

    if RUN["started"] is None:
        return
    skipped = f", {RUN['skipped']} skipped by the time budget" if RUN["skipped"] else ""
    terminalreporter.write_line(
        f"API fuzz: {RUN['operations']} operations, {RUN['requests']} requests "
        f"in {time.monotonic() - RUN['started']:.0f} s{skipped}"
    )
