// A second, independent client of the external scaler API: grpc-js with the .proto loaded at run time, as a non-Java
// KEDA-like caller would use it. NodeClientIT runs it: node client.js HOST:PORT '<metadata JSON>'
// and reads one JSON object from stdout.
'use strict';
const path = require('path');
const grpc = require('@grpc/grpc-js');
const protoLoader = require('@grpc/proto-loader');

const [address, metadataJson] = process.argv.slice(2);
const metadata = JSON.parse(metadataJson);
const definition = protoLoader.loadSync(
    path.join(__dirname, '..', '..', '..', 'main', 'proto', 'externalscaler.proto'),
    {keepCase: true, longs: Number, defaults: true});
const {ExternalScaler} = grpc.loadPackageDefinition(definition).externalscaler;
const client = new ExternalScaler(address, grpc.credentials.createInsecure());
const deadline = () => new Date(Date.now() + 20000);
const ref = {name: 'node-consumer', namespace: 'shop', scalerMetadata: metadata};

const unary = (method, request) => new Promise((resolve) => {
  client[method](request, {deadline: deadline()}, (err, response) =>
      resolve(err ? {code: grpc.status[err.code], details: err.details} : response));
});

const firstPush = () => new Promise((resolve) => {
  const call = client.StreamIsActive(ref, {deadline: deadline()});
  call.on('data', (response) => { resolve(response); call.cancel(); });
  call.on('error', (err) => resolve({code: grpc.status[err.code], details: err.details}));
});

(async () => {
  const out = {
    spec: await unary('GetMetricSpec', ref),
    metrics: await unary('GetMetrics', {scaledObjectRef: ref, metricName: 'aws-dynamodb-streams-' + metadata.tableName}),
    active: await unary('IsActive', ref),
    push: await firstPush(),
    invalid: await unary('GetMetrics', {scaledObjectRef: {...ref, scalerMetadata: {...metadata, shardCount: 'abc'}}}),
  };
  process.stdout.write(JSON.stringify(out) + '\n');
  client.close();
})();
