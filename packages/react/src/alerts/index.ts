// Placeholder: this area is being built; its exports land here.
export {};
