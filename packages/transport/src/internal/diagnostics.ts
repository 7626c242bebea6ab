import diagnosticsChannel from 'node:diagnostics_channel';

/** `diagnostics_channel` channels; messages carry sanitized URLs only. */
export const requestChannel = diagnosticsChannel.channel('pc:transport:request');
/** Published when a response's body has been read. */
export const responseChannel = diagnosticsChannel.channel('pc:transport:response');
/** Published before each retry wait. */
export const retryChannel = diagnosticsChannel.channel('pc:transport:retry');
/** Published when an attempt ends without a complete response (reset, timeout, abort...). */
export const attemptErrorChannel = diagnosticsChannel.channel('pc:transport:error');
