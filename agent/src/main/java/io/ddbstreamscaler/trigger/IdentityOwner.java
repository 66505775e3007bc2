package io.ddbstreamscaler.trigger;

/** Who holds the AWS identity: the scaled workload's pod (via the trigger's auth) or the agent itself ("operator"). */
public enum IdentityOwner { POD, OPERATOR }
