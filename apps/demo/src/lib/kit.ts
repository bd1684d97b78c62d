// TEMPORARY: @vigil/react's index does not export cards/status/utils yet.
export * from '@vigil/react';
export * from '../../../../packages/react/src/cards';
export * from '../../../../packages/react/src/status';
export * from '../../../../packages/react/src/utils';
