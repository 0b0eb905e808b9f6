;; Neither _start nor _initialize.
(module (func (export "main")))
