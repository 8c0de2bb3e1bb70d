// A plain BullMQ 5 worker for the work orders this example's gateway queues (npm install bullmq@5).
// Nothing Conduit-specific: the gateway writes jobs exactly as queue.add() would.
const { Worker } = require('bullmq');

const worker = new Worker('work-orders', async job => {
  console.log(`job ${job.id} (${job.name})`, job.data);
  return { handled: true };
}, { connection: { host: '127.0.0.1', port: 6379 } });

worker.on('failed', (job, err) => console.error(`job ${job.id} failed: ${err.message}`));
