#!/usr/bin/env node
// A WebSocket client for a Conduit `when.ws` rule: sends each message, waits for the gateway's
// acknowledgement of each ({seq, requestId, queueRef} once the backend holds it, or {seq, requestId,
// error}), prints the acknowledgements as JSON lines and closes.
//
//   node client.js URL [MESSAGE...]      messages as arguments, or one per line on stdin
//   CONDUIT_TOKEN=...                    sent as Authorization: Bearer, where the gateway declares auth
//
// Exit status: 0 when every message was acknowledged with a queueRef, 1 when one got an error or the
// connection closed first, 2 on bad usage.
'use strict';
const WebSocket = require('ws');
const readline = require('node:readline');

async function messagesFrom(args) {
  if (args.length > 0) return args;
  const lines = [];
  for await (const line of readline.createInterface({ input: process.stdin })) {
    if (line.trim() !== '') lines.push(line);
  }
  return lines;
}

async function main() {
  const [url, ...args] = process.argv.slice(2);
  if (!url || !/^wss?:\/\//.test(url)) {
    console.error('usage: node client.js ws://HOST:PORT/PATH [MESSAGE...]   (messages on stdin when none are given)');
    process.exit(2);
  }
  const messages = await messagesFrom(args);
  const headers = process.env.CONDUIT_TOKEN ? { Authorization: `Bearer ${process.env.CONDUIT_TOKEN}` } : {};
  const socket = new WebSocket(url, { headers });
  let acknowledged = 0;
  let failed = false;
  const timer = setTimeout(() => {
    console.error(`no acknowledgement for ${messages.length - acknowledged} message(s) within 30 s`);
    socket.terminate();
  }, 30_000);

  // An upgrade the gateway refuses (401, 404, 429, ...) answers HTTP with the JSON error shape.
  socket.on('unexpected-response', (request, response) => {
    let body = '';
    response.on('data', (chunk) => { body += chunk; });
    response.on('end', () => {
      console.error(`upgrade refused: HTTP ${response.statusCode} ${body}`);
      clearTimeout(timer);
      process.exit(1);
    });
  });
  socket.on('open', () => {
    // Acknowledgements come back in order; the gateway reads the next message once the last is stored.
    for (const message of messages) socket.send(message);
    if (messages.length === 0) socket.close(1000);
  });
  socket.on('message', (data) => {
    const ack = JSON.parse(data.toString());
    console.log(JSON.stringify(ack));
    acknowledged++;
    if (ack.error) failed = true;
    if (acknowledged === messages.length) socket.close(1000);
  });
  socket.on('close', (code, reason) => {
    clearTimeout(timer);
    if (acknowledged < messages.length) {
      console.error(`closed with ${code} ${reason} after ${acknowledged} of ${messages.length} acknowledgements`);
      failed = true;
    }
    process.exitCode = failed ? 1 : 0;
  });
  socket.on('error', (error) => {
    console.error(`connection failed: ${error.message}`);
    process.exitCode = 1;
  });
}

main();
