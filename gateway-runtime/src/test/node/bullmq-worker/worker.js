'use strict';
// An unmodified BullMQ 5 Worker (and Queue, for pause/resume and reference adds) that the gateway's
// Redis tests drive. Commands arrive as JSON lines on stdin; everything it sees goes to stdout as
// JSON lines, so the Java test can assert on what a real BullMQ worker did with the gateway's jobs.
//
// Commands: {"id", "cmd": "work", "queue", "prefix", "concurrency"?, "drainDelay"?}
//           {"id", "cmd": "pause" | "resume", "queue", "prefix"}
//           {"id", "cmd": "add", "queue", "prefix", "name", "data", "opts"}   (Node's own Queue.add, for comparison)
//           {"id", "cmd": "exit"}
// Jobs whose data holds {"failTimes": n} fail their first n attempts; {"failAlways": true} always fails.
const readline = require('readline');
const { Queue, Worker } = require('bullmq');

// REDIS_URL: redis://[user:password@]host:port[/db] or rediss://... (the test's Redis, as test-support found it).
const url = new URL(process.env.REDIS_URL || 'redis://127.0.0.1:6379');
const connection = {
  host: url.hostname,
  port: Number(url.port || 6379),
  username: url.username ? decodeURIComponent(url.username) : undefined,
  password: url.password ? decodeURIComponent(url.password) : undefined,
  db: url.pathname.length > 1 ? Number(url.pathname.slice(1)) : 0,
  tls: url.protocol === 'rediss:' ? {} : undefined,
  maxRetriesPerRequest: null,
};
const workers = [];
const queues = new Map();

function emit(record) {
  process.stdout.write(JSON.stringify(record) + '\n');
}

function queueOf(name, prefix) {
  const key = prefix + '|' + name;
  if (!queues.has(key)) {
    queues.set(key, new Queue(name, { connection, prefix }));
  }
  return queues.get(key);
}

async function processJob(job) {
  emit({
    event: 'processing', queue: job.queueName, id: job.id, name: job.name, data: job.data, opts: job.opts,
    priority: job.priority, delay: job.delay, attemptsMade: job.attemptsMade, timestamp: job.timestamp,
    processedOn: job.processedOn, at: Date.now(),
  });
  const data = job.data || {};
  if (data.failAlways || (data.failTimes || 0) > job.attemptsMade) {
    throw new Error('planned failure ' + (job.attemptsMade + 1));
  }
  return { processedBy: 'bullmq-worker', id: job.id, echo: data };
}

async function handle(command) {
  switch (command.cmd) {
    case 'work': {
      const worker = new Worker(command.queue, processJob, {
        connection, prefix: command.prefix, concurrency: command.concurrency || 1,
        drainDelay: command.drainDelay || 5,
      });
      worker.on('completed', (job, result) => emit({
        event: 'completed', queue: job.queueName, id: job.id, result, attemptsMade: job.attemptsMade, at: Date.now(),
      }));
      worker.on('failed', (job, error) => emit({
        event: 'failed', queue: job.queueName, id: job.id, reason: error.message, attemptsMade: job.attemptsMade,
        at: Date.now(),
      }));
      worker.on('error', error => emit({ event: 'error', message: String(error && error.message) }));
      workers.push(worker);
      await worker.waitUntilReady();
      return {};
    }
    case 'pause':
      await queueOf(command.queue, command.prefix).pause();
      return {};
    case 'resume':
      await queueOf(command.queue, command.prefix).resume();
      return {};
    case 'add': {
      const job = await queueOf(command.queue, command.prefix).add(command.name, command.data, command.opts || {});
      return { jobId: job.id };
    }
    case 'exit':
      await Promise.all(workers.map(w => w.close()));
      await Promise.all([...queues.values()].map(q => q.close()));
      emit({ reply: command.id, ok: true });
      process.exit(0);
      return {};
    default:
      throw new Error('unknown command ' + command.cmd);
  }
}

readline.createInterface({ input: process.stdin }).on('line', line => {
  if (!line.trim()) {
    return;
  }
  let command;
  try {
    command = JSON.parse(line);
  } catch (e) {
    emit({ event: 'error', message: 'not JSON: ' + line });
    return;
  }
  handle(command).then(
    result => emit(Object.assign({ reply: command.id, ok: true }, result)),
    error => emit({ reply: command.id, ok: false, message: String(error && error.message) }));
}).on('close', () => process.exit(0));

emit({ event: 'started', bullmq: require('bullmq/package.json').version });
