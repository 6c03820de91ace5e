/**
 * Imported before the Tracer, which loads the X-Ray SDK. In its default (automatic) mode the SDK hooks every
 * promise of the process (cls-hooked, an async hook with destroy tracking) to carry the trace context. The Tracer
 * is off outside a Lambda execution environment (no `AWS_EXECUTION_ENV`: the local stack, tests, scripts), so
 * there the SDK starts in manual mode, with nothing to carry. In the local stack, where every function shares one
 * process, the hooks took about a seventh of the main thread's time.
 */
if (!process.env.AWS_EXECUTION_ENV) process.env.AWS_XRAY_MANUAL_MODE ??= "true";
