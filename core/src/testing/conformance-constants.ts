/** The text every conformance fixture answers with, and the message of its 400. */
export const CONFORMANCE_TEXT = 'Hello from the fixture.';
export const CONFORMANCE_ERROR = 'fixture bad request';
