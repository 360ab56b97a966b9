import { countJunit } from '../../api-fuzz.js';

describe("counting Schemathesis's JUnit report", () => {
  it('counts an operation with a failure or an error as failed, any other as passed', () => {
    const xml = `<?xml version="1.0" encoding="utf-8"?>
<testsuites><testsuite name="schemathesis" tests="4" failures="1" errors="1">
<testcase name="GET /shows" time="1.2"/>
<testcase name="GET /shows/{id}" time="0.4"><failure type="failure" message="Undocumented status code">…</failure></testcase>
<testcase name="POST /orders" time="2.0"><error type="error" message="Runtime Error">…</error></testcase>
<testcase name="GET /me/tickets" time="0.3"></testcase>
</testsuite></testsuites>`;
    expect(countJunit(xml)).toEqual({ passed: 2, failed: 2 });
  });

  it('counts nothing in a report without operations', () => {
    expect(countJunit('<testsuites></testsuites>')).toEqual({ passed: 0, failed: 0 });
  });
});
