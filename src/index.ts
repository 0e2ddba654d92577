// The public surface: re-exports only.
export * from './core/os-family';
export * from './core/cloud-config';
export * from './core/docker-daemon';
export * from './core/docker-host';
export * from './core/instance-types';
export * from './core/user-data';
export * from './machine-image';
export * from './vm-host';
export * from './core/network';
export * from './core/container-image';
export * from './core/container-spec';
export * from './core/docker-run';
export * from './core/docker-provider';
export * from './core/capacity';
export * from './container-on-vm';
export * from './local-docker-host';
