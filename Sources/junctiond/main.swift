print("junctiond")
