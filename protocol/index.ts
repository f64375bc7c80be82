// @shubbak/protocol — the MQTT device contract (v1), imported by the hub, every device
// program and the tests. It imports nothing of ours.
export * from './topics.ts';
export * from './messages.ts';
export * from './commands.ts';
export * from './validate.ts';
