module leakgate.example/go-server

go 1.19
