// grpc.health.v1.Health/Check with grpc-js and no .proto at all: the request and the answer are encoded by hand, so
// this checks the agent's health service against the protocol's wire format (grpc/grpc: doc/health-checking.md)
// rather than against the agent's own copy of health.proto. NodeClientIT runs it:
//   node health.js HOST:PORT SERVICE
// and reads one JSON object from stdout: {"status": "SERVING"} or {"code": "NOT_FOUND", "details": "..."}.
'use strict';
const grpc = require('@grpc/grpc-js');

const [address, service] = process.argv.slice(2);
const STATUS = ['UNKNOWN', 'SERVING', 'NOT_SERVING', 'SERVICE_UNKNOWN'];

// HealthCheckRequest {string service = 1}: field 1, wire type 2 (length-delimited); empty when service is "".
const encodeRequest = (name) => {
  const bytes = Buffer.from(name || '', 'utf8');
  if (bytes.length === 0) return Buffer.alloc(0);
  if (bytes.length > 127) throw new Error('service name too long for this one-byte length');
  return Buffer.concat([Buffer.from([0x0a, bytes.length]), bytes]);
};
// HealthCheckResponse {ServingStatus status = 1}: field 1, wire type 0 (varint); absent when UNKNOWN (0).
const decodeResponse = (buffer) => {
  if (buffer.length === 0) return 0;
  if (buffer[0] !== 0x08) throw new Error('unexpected field tag ' + buffer[0]);
  return buffer[1];
};

const client = new grpc.Client(address, grpc.credentials.createInsecure());
client.makeUnaryRequest('/grpc.health.v1.Health/Check', encodeRequest, decodeResponse, service || '',
    new grpc.Metadata(), {deadline: new Date(Date.now() + 20000)}, (err, status) => {
      const out = err ? {code: grpc.status[err.code], details: err.details} : {status: STATUS[status]};
      process.stdout.write(JSON.stringify(out) + '\n');
      client.close();
    });
