module example.com/tlstz

go 1.21
