module example.com/seed-article

go 1.21
